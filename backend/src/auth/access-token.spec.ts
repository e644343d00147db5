import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from './access-token.js';

const SECRET = 'a-test-secret-of-some-length';

describe('access tokens', () => {
  it('verifies a token it signed and returns the user id', () => {
    const token = signAccessToken('user-1', 'session-1', SECRET, 60);
    expect(verifyAccessToken(token, SECRET)).toMatchObject({ sub: 'user-1', sid: 'session-1' });
  });

  it('rejects a token signed with another secret', () => {
    expect(
      verifyAccessToken(signAccessToken('user-1', 'session-1', 'another-secret-xyz', 60), SECRET),
    ).toBeNull();
  });

  it('rejects an expired token', () => {
    const token = signAccessToken('user-1', 'session-1', SECRET, 60, Date.now() - 120_000);
    expect(verifyAccessToken(token, SECRET)).toBeNull();
  });

  it('rejects a token whose payload was changed', () => {
    const [header, , signature] = signAccessToken('user-1', 'session-1', SECRET, 60).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'admin', iat: 0, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(verifyAccessToken(`${header}.${forged}.${signature}`, SECRET)).toBeNull();
  });

  it('rejects garbage', () => {
    expect(verifyAccessToken('not-a-token', SECRET)).toBeNull();
    expect(verifyAccessToken('a.b.c', SECRET)).toBeNull();
  });
});
