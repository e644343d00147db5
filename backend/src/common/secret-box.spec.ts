import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.js';

const key = randomBytes(32);
const otherKey = randomBytes(32);
const box = new SecretBox([key]);

describe('SecretBox', () => {
  it('seals to a versioned string without the plain value, and opens it again', () => {
    const sealed = box.seal('agent-token-123');
    expect(sealed).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(sealed).not.toContain('agent-token-123');
    expect(box.open(sealed)).toBe('agent-token-123');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('uses a fresh IV for every value', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('detects a tampered value', () => {
    const [version, iv, tag, ciphertext] = box.seal('agent-token-123').split(':');
    const flipped = Buffer.from(ciphertext!, 'base64url');
    flipped[0]! ^= 1;
    const tampered = [version, iv, tag, flipped.toString('base64url')].join(':');
    expect(() => box.open(tampered)).toThrow(SecretBoxError);
  });

  it('refuses a value sealed with another key, naming BP_SECRET_KEY', () => {
    const sealed = new SecretBox([otherKey]).seal('agent-token-123');
    expect(() => box.open(sealed)).toThrow(/BP_SECRET_KEY/);
  });

  it('opens values of a previous key, which are not current', () => {
    const old = new SecretBox([otherKey]).seal('agent-token-123');
    const rotated = new SecretBox([key, otherKey]);
    expect(rotated.open(old)).toBe('agent-token-123');
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('agent-token-123'))).toBe(true);
  });

  it('passes a value stored before encryption through, as not current', () => {
    expect(box.open('legacy-plain-token')).toBe('legacy-plain-token');
    expect(box.isCurrent('legacy-plain-token')).toBe(false);
  });

  it('needs 32-byte keys', () => {
    expect(() => new SecretBox([])).toThrow(/32-byte/);
    expect(() => new SecretBox([randomBytes(16)])).toThrow(/32-byte/);
  });
});
