import { GUARDED_SERVER_SETTING, SERVER_SETTING_PATTERN } from '@branchpoint/contracts';
import { BadInputException } from '../common/app.exception.js';

/** At most this many parameters in one change. */
export const MAX_SETTING_CHANGES = 32;
/** The longest value accepted for one parameter. */
export const MAX_SETTING_VALUE_LENGTH = 1024;

/**
 * The `settings` of a PATCH /containers/:id/settings body, checked: a non-empty object of
 * parameter names (SERVER_SETTING_PATTERN) to a string value or null (reset). Throws a 400
 * naming the field, also for a guarded parameter. Whether a parameter exists is the agent's
 * decision (the job fails naming it).
 */
export function settingChanges(input: unknown): Record<string, string | null> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new BadInputException(
      'settings.invalid',
      'settings must be an object of parameter names to values',
    );
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length === 0)
    throw new BadInputException('settings.invalid', 'settings must name at least one parameter');
  if (entries.length > MAX_SETTING_CHANGES)
    throw new BadInputException(
      'settings.invalid',
      `settings may change at most ${MAX_SETTING_CHANGES} parameters at once`,
    );
  const changes: Record<string, string | null> = {};
  for (const [name, value] of entries) {
    const field = `settings.${name.slice(0, 80)}`;
    if (!SERVER_SETTING_PATTERN.test(name))
      throw new BadInputException(
        'settings.invalid',
        `${field}: not a server parameter name (lowercase letters, digits and "_", optionally one "." for an extension's)`,
      );
    if (GUARDED_SERVER_SETTING.test(name))
      throw new BadInputException(
        'settings.invalid',
        `${field}: ${name} cannot be changed: it names files or programs, or how the server is reached, logged or replicated`,
      );
    if (value !== null && typeof value !== 'string')
      throw new BadInputException(
        'settings.invalid',
        `${field} must be a string, or null to reset it`,
      );
    if (typeof value === 'string' && value.length > MAX_SETTING_VALUE_LENGTH)
      throw new BadInputException(
        'settings.invalid',
        `${field} is longer than ${MAX_SETTING_VALUE_LENGTH} characters`,
      );
    if (typeof value === 'string' && value.includes('\0'))
      throw new BadInputException('settings.invalid', `${field} must not contain NUL characters`);
    changes[name] = value;
  }
  return changes;
}
