import { createHash } from 'node:crypto';

const sha1 = (data: Buffer | string) => createHash('sha1').update(data).digest();

/**
 * The `mysql_native_password` hash of a password (`*` and 40 hex digits, SHA1(SHA1(password))):
 * what `IDENTIFIED BY PASSWORD` takes, so the agent keeps no clear password.
 */
export function nativePasswordHash(password: string): string {
  return `*${sha1(sha1(password)).toString('hex').toUpperCase()}`;
}

export const isNativePasswordHash = (value: string): boolean => /^\*[0-9A-F]{40}$/.test(value);
