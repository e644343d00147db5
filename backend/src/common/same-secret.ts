import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares secrets in constant time, whatever the lengths (digests, so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
