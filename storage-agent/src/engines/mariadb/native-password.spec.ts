import { describe, expect, it } from 'vitest';
import { isNativePasswordHash, nativePasswordHash } from './native-password.js';

describe('nativePasswordHash', () => {
  it("answers MariaDB's PASSWORD() value", () => {
    // SELECT PASSWORD('secret') on MariaDB 10.11.
    expect(nativePasswordHash('secret')).toBe('*14E65567ABDB5135D0CFD9A70B3032C179A49EE7');
    expect(isNativePasswordHash(nativePasswordHash('x'))).toBe(true);
    expect(isNativePasswordHash('SCRAM-SHA-256$4096:abc')).toBe(false);
  });
});
