import { createHash } from 'node:crypto';

/** How bearer secrets (API and refresh tokens, sign-in codes) are stored: only their sha256, in hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
