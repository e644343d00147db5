import { randomBytes } from 'node:crypto';

/** A new generated password for a container's databases (shown to its owners). */
export function newContainerPassword(): string {
  return randomBytes(18).toString('base64url');
}
