import { dictionary } from '@zxcvbn-ts/language-common';

/** The one password rule, for every account (the first admin's included). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 5;

let common: Set<string> | undefined;

/** zxcvbn's list of ~49,000 passwords seen most in leaks, lower-cased; loaded on first use. */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
  return common;
}

/**
 * Why `password` may not be used, or null when it may. Length alone lets "password1234" or
 * "aaaaaaaaaaaa" through, so a leaked password with digits or symbols around it counts as
 * that leaked password.
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (commonPasswords().has(lower) || (core.length > 0 && commonPasswords().has(core)))
    return 'password is on the list of commonly used passwords; choose another';
  if (new Set(lower).size < MIN_DISTINCT_CHARACTERS)
    return `password must use at least ${MIN_DISTINCT_CHARACTERS} different characters`;
  if (username && username.length >= 3 && lower.includes(username.toLowerCase()))
    return 'password must not contain the username';
  return null;
}
