import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
// Base64url of the 12-byte IV (16 characters) and of the 16-byte tag (22 characters).
const SEALED = /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/;

/**
 * Encrypts credentials the control plane must read back (storage agents' tokens, webhook
 * secrets, source connection strings, container passwords), so the metadata database alone
 * does not give them away. AES-256-GCM with a random 12-byte IV per
 * value, stored as `v1:<iv>:<tag>:<ciphertext>` (base64url). Values are sealed with the first
 * key; the others are previous keys, still opened during a key rotation.
 */
export class SecretBox {
  constructor(private readonly keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== KEY_BYTES))
      throw new Error(`a secret box needs ${KEY_BYTES}-byte keys`);
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys[0]!, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /** The plain value; a value stored before encryption (not sealed) comes back as it is. */
  open(stored: string): string {
    return isSealed(stored) ? this.decrypt(stored).plain : stored;
  }

  /** Whether `stored` is sealed with the current key; anything else should be sealed again. */
  isCurrent(stored: string): boolean {
    return isSealed(stored) && this.decrypt(stored).keyIndex === 0;
  }

  private decrypt(sealed: string): { plain: string; keyIndex: number } {
    const [, iv, tag, ciphertext] = sealed.split(':').map((part) => Buffer.from(part, 'base64url'));
    for (const [keyIndex, key] of this.keys.entries()) {
      const decipher = createDecipheriv(ALGORITHM, key, iv!);
      decipher.setAuthTag(tag!);
      try {
        const plain = Buffer.concat([decipher.update(ciphertext!), decipher.final()]);
        return { plain: plain.toString('utf8'), keyIndex };
      } catch {
        // Authentication failed: another key, or an altered value.
      }
    }
    throw new SecretBoxError(
      'cannot decrypt a stored secret: it was encrypted with a key other than BP_SECRET_KEY ' +
        '(set the old key as BP_SECRET_KEY_PREVIOUS), or it was altered',
    );
  }
}

export class SecretBoxError extends Error {}

/** Whether `stored` has the form of a sealed value (with any key). */
export function isSealed(stored: string): boolean {
  return SEALED.test(stored);
}
