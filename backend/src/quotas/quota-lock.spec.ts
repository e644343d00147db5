import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { QuotaLock } from './quota-lock.js';

/** The few Redis commands the lock uses, in memory (no expiry: these tests release or time out). */
function fakeRedis() {
  const keys = new Map<string, string>();
  const redis = {
    set: async (key: string, value: string, _px: string, _ms: number, _nx: string) => {
      if (keys.has(key)) return null;
      keys.set(key, value);
      return 'OK';
    },
    eval: async (_script: string, _n: number, key: string, token: string) => {
      if (keys.get(key) !== token) return 0;
      keys.delete(key);
      return 1;
    },
  };
  return { redis: redis as unknown as Redis, keys };
}

describe('QuotaLock', () => {
  it('runs one holder at a time per name; others wait their turn', async () => {
    const { redis, keys } = fakeRedis();
    const lock = new QuotaLock(redis, 'bp');
    const order: string[] = [];
    let inside = 0;
    const work = (name: string) => async () => {
      inside += 1;
      expect(inside).toBe(1);
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push(`${name} out`);
      inside -= 1;
      return name;
    };
    const answers = await Promise.all([
      lock.holding(['user:a'], work('first')),
      lock.holding(['user:a'], work('second')),
    ]);
    expect(answers).toEqual(['first', 'second']);
    expect(order).toEqual(['first in', 'first out', 'second in', 'second out']);
    expect(keys.size).toBe(0);
  });

  it('releases when the work throws, and takes several names in one order', async () => {
    const { redis, keys } = fakeRedis();
    const lock = new QuotaLock(redis, 'bp');
    await expect(
      lock.holding(['user:a', 'container:c'], async () => {
        expect([...keys.keys()]).toEqual(['bp:lock:quota:container:c', 'bp:lock:quota:user:a']);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(keys.size).toBe(0);
  });

  it('answers 409 quota.busy when the lock stays taken longer than it waits', async () => {
    const { redis, keys } = fakeRedis();
    keys.set('bp:lock:quota:user:a', 'someone else');
    const lock = new QuotaLock(redis, 'bp', 30_000, 50);
    await expect(lock.holding(['user:a'], async () => 'never')).rejects.toMatchObject({
      statusCode: 409,
      code: 'quota.busy',
    });
    expect(keys.get('bp:lock:quota:user:a')).toBe('someone else');
  });
});
