import { InvalidDurationError, parseDuration as parse } from '@branchpoint/contracts';
import { usageError } from './errors.js';

/** Milliseconds of a duration option (the server's own parser); a bad one is a usage error. */
export function parseDuration(text: string): number {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof InvalidDurationError) throw usageError(error.message);
    throw error;
  }
}

/** `--expires <duration>`, checked here and sent as `expiresIn`: the server's clock decides. */
export function expiresIn(text: string): string {
  parseDuration(text);
  return text.trim();
}
