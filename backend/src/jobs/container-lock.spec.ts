import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ContainerLock } from './container-lock.js';

/** The few Redis commands the lock uses, in memory (expiry ignored). */
function fakeRedis(): Redis {
  const values = new Map<string, string>();
  const sets = new Map<string, Set<string>>();
  const redis = {
    async set(key: string, value: string, _px: string, _ttl: number, mode: 'NX' | 'XX') {
      if (mode === 'NX' && values.has(key)) return null;
      if (mode === 'XX' && !values.has(key)) return null;
      values.set(key, value);
      return 'OK';
    },
    async get(key: string) {
      return values.get(key) ?? null;
    },
    async pexpire() {
      return 1;
    },
    async eval(_script: string, _keys: number, key: string, value: string) {
      if (values.get(key) !== value) return 0;
      values.delete(key);
      return 1;
    },
    async exists(key: string) {
      return values.has(key) ? 1 : 0;
    },
    multi() {
      const queued: (() => unknown)[] = [];
      const chain = {
        sadd: (key: string, member: string) => (
          queued.push(() => sets.set(key, (sets.get(key) ?? new Set()).add(member))),
          chain
        ),
        pexpire: () => chain,
        smembers: (key: string) => (queued.push(() => [...(sets.get(key) ?? [])]), chain),
        del: (key: string) => (queued.push(() => sets.delete(key)), chain),
        exec: async () => queued.map((command) => [null, command()]),
      };
      return chain;
    },
  };
  return redis as unknown as Redis;
}

describe('ContainerLock', () => {
  it('lets one job per container hold the lock, and other containers run in parallel', async () => {
    const lock = new ContainerLock(fakeRedis(), 'test');
    expect(await lock.acquire('c1', 'job-a')).toBe(true);
    expect(await lock.acquire('c1', 'job-b')).toBe(false);
    expect(await lock.acquire('c2', 'job-b')).toBe(true);
  });

  it('lets the holder acquire again (a retried job) and only the holder release', async () => {
    const lock = new ContainerLock(fakeRedis(), 'test');
    await lock.acquire('c1', 'job-a');
    expect(await lock.acquire('c1', 'job-a')).toBe(true);
    await lock.release('c1', 'job-b');
    expect(await lock.acquire('c1', 'job-b')).toBe(false);
    await lock.release('c1', 'job-a');
    expect(await lock.acquire('c1', 'job-b')).toBe(true);
  });

  it('hands each waiting job back once, for the releaser to run at once', async () => {
    const lock = new ContainerLock(fakeRedis(), 'test');
    await lock.acquire('c1', 'job-a');
    await lock.wait('c1', 'job-b');
    await lock.wait('c1', 'job-c');
    await lock.wait('c2', 'job-d');
    expect(await lock.isFree('c1')).toBe(false);
    await lock.release('c1', 'job-a');
    expect(await lock.isFree('c1')).toBe(true);
    expect((await lock.takeWaiters('c1')).sort()).toEqual(['job-b', 'job-c']);
    expect(await lock.takeWaiters('c1')).toEqual([]);
    expect(await lock.takeWaiters('c2')).toEqual(['job-d']);
  });
});
