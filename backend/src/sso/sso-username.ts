/** What CreateUserDto accepts: 2-64 lowercase letters, digits, ".", "_" or "-", a letter or digit first. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
/** Room left for a "-<n>" suffix that makes a taken name unique. */
const MAX_BASE_LENGTH = 56;

/**
 * A valid username made from a provider's claim ("Zoë.Müller@example.com" → "zoe.muller"):
 * accents dropped, an e-mail's domain dropped, other characters turned into "-".
 */
export function usernameBase(claim: string): string {
  const name = claim
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/@.*$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/[._-]+$/, '');
  return name.length >= 2 ? name : `user${name}`.padEnd(4, '0').slice(0, MAX_BASE_LENGTH);
}

/** `base`, or the first of `base-2`, `base-3`, … that is not taken. */
export function freeUsername(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
