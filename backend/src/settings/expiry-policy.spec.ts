import { describe, expect, it } from 'vitest';
import { expiryChanges, expiryOnCreate, type ExpiryRequest } from './expiry-policy.js';

const now = new Date('2026-11-23T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
const request = (over: Partial<ExpiryRequest> = {}): ExpiryRequest => ({
  kind: 'container',
  rule: { default: '7d', max: '30d' },
  admin: false,
  now,
  ...over,
});

describe('expiryOnCreate', () => {
  it('applies the default, else the maximum, else none', () => {
    expect(expiryOnCreate({}, request())).toEqual(inDays(7));
    expect(expiryOnCreate({}, request({ rule: { default: null, max: '30d' } }))).toEqual(
      inDays(30),
    );
    expect(expiryOnCreate({}, request({ rule: { default: null, max: null } }))).toBeNull();
  });

  it('takes expiresIn from now, or expiresAt as given', () => {
    expect(expiryOnCreate({ expiresIn: '2h' }, request())).toEqual(
      new Date('2026-11-23T14:00:00Z'),
    );
    expect(expiryOnCreate({ expiresAt: '2026-12-01T00:00:00Z' }, request())).toEqual(
      new Date('2026-12-01T00:00:00Z'),
    );
  });

  it('refuses both fields, naming them', () => {
    expect(() =>
      expiryOnCreate({ expiresIn: '2h', expiresAt: '2026-12-01T00:00:00Z' }, request()),
    ).toThrow('give expiresAt or expiresIn, not both');
  });

  it('refuses more than the maximum for users, naming field, limit and kind; admins are exempt', () => {
    expect(() => expiryOnCreate({ expiresIn: '31d' }, request())).toThrow(
      'expiresIn exceeds the maximum of 30d for containers',
    );
    expect(() =>
      expiryOnCreate({ expiresAt: inDays(31).toISOString() }, request({ kind: 'bookmark' })),
    ).toThrow('expiresAt exceeds the maximum of 30d for bookmarks');
    expect(expiryOnCreate({ expiresIn: '30d' }, request())).toEqual(inDays(30));
    expect(expiryOnCreate({ expiresIn: '90d' }, request({ admin: true }))).toEqual(inDays(90));
  });
});

describe('expiryChanges', () => {
  const unprotected = { protected: false };

  it('extends in one call: a new expiry from now, warned again, no longer blocked', () => {
    expect(expiryChanges({ expiresIn: '7d' }, unprotected, request())).toEqual({
      expiresAt: inDays(7),
      expiryWarnedAt: null,
      expiryBlockedReason: null,
    });
    expect(expiryChanges({}, unprotected, request())).toEqual({});
  });

  it('clears the expiry only without a maximum, or for admins', () => {
    expect(() => expiryChanges({ expiresAt: null }, unprotected, request())).toThrow(
      /expiresAt cannot be cleared: containers expire within a maximum of 30d/,
    );
    expect(
      expiryChanges({ expiresAt: null }, unprotected, request({ admin: true })).expiresAt,
    ).toBeNull();
    expect(
      expiryChanges(
        { expiresAt: null },
        unprotected,
        request({ rule: { default: null, max: null } }),
      ).expiresAt,
    ).toBeNull();
  });

  it('protecting clears the expiry; only admins may protect under a maximum', () => {
    const free = request({ rule: { default: '7d', max: null } });
    expect(expiryChanges({ protected: true }, unprotected, free)).toEqual({
      protected: true,
      expiresAt: null,
      expiryWarnedAt: null,
      expiryBlockedReason: null,
    });
    expect(() => expiryChanges({ protected: true }, unprotected, request())).toThrow(
      /only admins may protect containers while their expiry has a maximum \(30d\)/,
    );
    expect(
      expiryChanges({ protected: true }, unprotected, request({ admin: true })).protected,
    ).toBe(true);
    expect(() => expiryChanges({ protected: true, expiresIn: '1d' }, unprotected, free)).toThrow(
      /not both/,
    );
  });

  it('a protected object takes a new expiry only when unprotected with it; unprotecting alone gets the default', () => {
    const isProtected = { protected: true };
    expect(() => expiryChanges({ expiresIn: '1d' }, isProtected, request())).toThrow(
      /is protected: give protected: false/,
    );
    expect(expiryChanges({ protected: false, expiresIn: '1d' }, isProtected, request())).toEqual({
      protected: false,
      expiresAt: inDays(1),
      expiryWarnedAt: null,
      expiryBlockedReason: null,
    });
    expect(expiryChanges({ protected: false }, isProtected, request()).expiresAt).toEqual(
      inDays(7),
    );
  });
});
