import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle, type ThrottleRule } from '../src/auth/login-throttle.js';

// Against the real Redis of the stack: two throttles over one namespace stand for two replicas.
const redis = new Redis(process.env['REDIS_URL']!);
const namespace = `test-login-${randomUUID()}`;
const RULE: ThrottleRule = {
  freeAttempts: 3,
  firstDelayMs: 1_000,
  maxDelayMs: 4_000,
  forgetAfterMs: 60_000,
};

afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('LoginThrottle', () => {
  it('lets the free attempts and one more through a parallel burst, then refuses with the wait', async () => {
    const [replicaA, replicaB] = [1, 2].map(() => new LoginThrottle(redis, namespace, RULE));
    const now = Date.now();
    const waits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? replicaA! : replicaB!).reserve('alice', now)),
    );
    expect(waits.filter((wait) => wait === 0)).toHaveLength(RULE.freeAttempts + 1);
    expect(Math.max(...waits)).toBe(1_000);
    expect(await replicaA!.reserve('bob', now)).toBe(0);
  });

  it('doubles the wait after each attempt beyond the free ones, up to the maximum', async () => {
    const throttle = new LoginThrottle(redis, namespace, RULE);
    let now = Date.now();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      let wait = await throttle.reserve('carol', now);
      if (wait > 0) {
        waits.push(wait);
        now += wait;
        wait = await throttle.reserve('carol', now);
      }
      expect(wait).toBe(0);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 4_000]);
  });

  it('gives a successful attempt back, and clear starts a key over', async () => {
    const throttle = new LoginThrottle(redis, namespace, RULE);
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      expect(await throttle.reserve('office', now)).toBe(0);
      await throttle.release('office');
    }
    for (let i = 0; i < RULE.freeAttempts + 1; i++) await throttle.reserve('dave', now);
    expect(await throttle.reserve('dave', now)).toBeGreaterThan(0);
    await throttle.clear('dave');
    expect(await throttle.reserve('dave', now)).toBe(0);
  });

  it('keeps one bounded, expiring key per counted name, whatever its length', async () => {
    const throttle = new LoginThrottle(redis, `${namespace}-long`, RULE);
    await throttle.reserve('x'.repeat(10_000));
    const keys = await redis.keys(`${namespace}-long:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.length).toBeLessThan(namespace.length + 60);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
    await redis.del(...keys);
  });
});
