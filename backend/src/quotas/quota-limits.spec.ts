import { describe, expect, it } from 'vitest';
import { checkQuota, effectiveLimits, NO_LIMITS } from './quota-limits.js';

describe('effectiveLimits', () => {
  it('takes each override over the default; a null override follows the default', () => {
    const defaults = {
      containers: 5,
      runningServers: 3,
      branchesPerContainer: null,
      bookmarks: 10,
    };
    expect(
      effectiveLimits(defaults, {
        containers: 8,
        runningServers: null,
        branchesPerContainer: 2,
        bookmarks: 0,
      }),
    ).toEqual({ containers: 8, runningServers: 3, branchesPerContainer: 2, bookmarks: 0 });
    expect(effectiveLimits(defaults, null)).toEqual(defaults);
    expect(effectiveLimits(NO_LIMITS, null)).toEqual(NO_LIMITS);
  });
});

describe('checkQuota', () => {
  it('lets up to the limit pass and refuses beyond it, naming the limit and its value', () => {
    expect(() => checkQuota('containers', 5, 4)).not.toThrow();
    expect(() => checkQuota('containers', 5, 5)).toThrow(/^limit of 5 containers reached/);
    expect(() => checkQuota('containers', 1, 1)).toThrow(/^limit of 1 container reached/);
    expect(() => checkQuota('bookmarks', 0, 0)).toThrow(/^limit of 0 bookmarks reached/);
    expect(() => checkQuota('branchesPerContainer', 2, 2)).toThrow(
      /^limit of 2 branches per container reached/,
    );
  });

  it('counts what the request adds (a container starts one server per source)', () => {
    expect(() => checkQuota('runningServers', 4, 2, 2)).not.toThrow();
    expect(() => checkQuota('runningServers', 4, 3, 2)).toThrow(
      'limit of 4 running servers reached (this needs 2 more, 3 in use)',
    );
  });

  it('answers 403 quota.exceeded; no limit passes everything', () => {
    try {
      checkQuota('bookmarks', 1, 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ statusCode: 403, code: 'quota.exceeded' });
    }
    expect(() => checkQuota('containers', null, 10_000)).not.toThrow();
  });
});
