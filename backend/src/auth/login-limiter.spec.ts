import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  it('blocks after the maximum number of failures within the window', () => {
    const limiter = new LoginLimiter(3, 1000);
    for (let i = 0; i < 2; i++) limiter.recordFailure(['u'], 100);
    expect(limiter.isBlocked(['u'], 100)).toBe(false);
    limiter.recordFailure(['u'], 100);
    expect(limiter.isBlocked(['u'], 100)).toBe(true);
    expect(limiter.isBlocked(['other'], 100)).toBe(false);
  });

  it('forgets failures once the window has passed', () => {
    const limiter = new LoginLimiter(1, 1000);
    limiter.recordFailure(['u'], 0);
    expect(limiter.isBlocked(['u'], 999)).toBe(true);
    expect(limiter.isBlocked(['u'], 1000)).toBe(false);
  });

  it('blocks when any of the keys is blocked, and reset clears a key', () => {
    const limiter = new LoginLimiter(1, 1000);
    limiter.recordFailure(['addr:1'], 0);
    expect(limiter.isBlocked(['user:a', 'addr:1'], 1)).toBe(true);
    limiter.reset(['addr:1']);
    expect(limiter.isBlocked(['user:a', 'addr:1'], 1)).toBe(false);
  });
});
