import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../src/auth/login-limiter.js';

// Against the real Redis of the stack: two limiters over one namespace stand for two replicas.
const redis = new Redis(process.env['REDIS_URL']!);
const namespace = `test-login-${randomUUID()}`;

afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('LoginLimiter', () => {
  it('counts failures across replicas and blocks at the maximum', async () => {
    const [replicaA, replicaB] = [1, 2].map(() => new LoginLimiter(redis, namespace, 3, 60_000));
    await replicaA!.recordFailure('alice');
    await replicaB!.recordFailure('alice');
    expect(await replicaA!.isBlocked('alice')).toBe(false);
    await replicaB!.recordFailure('alice');
    expect(await replicaA!.isBlocked('alice')).toBe(true);
    expect(await replicaB!.isBlocked('alice')).toBe(true);
    expect(await replicaA!.isBlocked('bob')).toBe(false);
  });

  it('forgets failures when the window ends, and reset clears a key at once', async () => {
    const limiter = new LoginLimiter(redis, namespace, 1, 300);
    await limiter.recordFailure('carol');
    await limiter.recordFailure('dave');
    expect(await limiter.isBlocked('carol')).toBe(true);
    await limiter.reset('dave');
    expect(await limiter.isBlocked('dave')).toBe(false);
    await sleep(600);
    expect(await limiter.isBlocked('carol')).toBe(false);
  });

  it('keeps one bounded key per counted name, whatever its length', async () => {
    const limiter = new LoginLimiter(redis, namespace, 5, 60_000);
    await limiter.recordFailure('x'.repeat(10_000));
    const keys = await redis.keys(`${namespace}:*`);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThan(namespace.length + 50);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
  });
});
