/**
 * Durations as people write them (`30m`, `2h`, `7d`, `2w`, `1h30m`): the one parser the control
 * plane (`expiresIn`, the expiry policy) and the CLI (`--expires`, `--wait-timeout`) share.
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Longer than anything sensible, short enough to stay a valid date. */
const MAX_MS = 100 * 365 * UNIT_MS['d']!;

export const DURATION_EXAMPLES = '30m, 2h, 7d, 2w or 1h30m';

/** A text that is not a duration; the message says why and shows examples. */
export class InvalidDurationError extends Error {
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`invalid duration "${text}": ${reason}`);
    this.name = 'InvalidDurationError';
  }
}

/**
 * Milliseconds of a duration: numbers with units (s, m, h, d, w), combinable, e.g. `1h30m`.
 * Units are required (a bare `2` is ambiguous); the total must be positive.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(trimmed))
    throw new InvalidDurationError(
      text,
      `use a number and a unit (s, m, h, d, w), e.g. ${DURATION_EXAMPLES}`,
    );
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g))
    total += Number(amount) * UNIT_MS[unit!]!;
  if (total <= 0) throw new InvalidDurationError(text, 'must be longer than zero');
  if (!Number.isSafeInteger(total) || total > MAX_MS)
    throw new InvalidDurationError(text, 'too long');
  return total;
}

/** Whether `text` is a duration `parseDuration` accepts. */
export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** The shortest text for whole seconds, largest units first: 86400000 → `1d`, 5400000 → `1h30m`. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < UNIT_MS['s']!)
    throw new RangeError(`${ms} ms is not a whole, positive number of seconds`);
  let rest = Math.floor(ms / 1_000) * 1_000;
  let text = '';
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const size = UNIT_MS[unit]!;
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
