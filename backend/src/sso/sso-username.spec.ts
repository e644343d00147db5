import { describe, expect, it } from 'vitest';
import { freeUsername, USERNAME_PATTERN, usernameBase } from './sso-username.js';

describe('usernameBase', () => {
  it.each([
    ['alice', 'alice'],
    ['Alice.Smith', 'alice.smith'],
    ['Zoë.Müller@example.com', 'zoe.muller'],
    ['john doe', 'john-doe'],
    ['DOMAIN\\bob', 'domain-bob'],
    ['__x__', 'userx'],
    ['-.-', 'user'],
    ['', 'user'],
    ['李雷', 'user'],
    ['a'.repeat(100), 'a'.repeat(56)],
    ['0a', '0a'],
  ])('%j → %j', (claim, expected) => {
    const name = usernameBase(claim);
    expect(name).toBe(expected);
    expect(name).toMatch(USERNAME_PATTERN);
  });
});

describe('freeUsername', () => {
  it('keeps a free name and numbers a taken one', () => {
    expect(freeUsername('alice', new Set())).toBe('alice');
    expect(freeUsername('alice', new Set(['alice']))).toBe('alice-2');
    expect(freeUsername('alice', new Set(['alice', 'alice-2', 'alice-3']))).toBe('alice-4');
  });
});
