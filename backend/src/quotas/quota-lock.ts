import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ConflictException } from '../common/app.exception.js';
import { releaseLock, takeLock } from '../common/redis-lock.js';

/**
 * Serializes the creates counted against one quota (one user's, or one container's
 * branches), across replicas: a Redis key held while one request counts and then records
 * what it creates, so two parallel creates cannot both see room for one. Redis rather than a
 * database lock: waiting here holds no database connection, which the create itself needs.
 * The key expires, so a crashed replica frees it.
 */
export class QuotaLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = 30_000,
    private readonly waitMs = 20_000,
  ) {}

  /** Runs `work` while holding every named lock (taken in one order, so two callers never wait on each other). */
  async holding<T>(names: readonly string[], work: () => Promise<T>): Promise<T> {
    const keys = [...new Set(names)].sort().map((name) => `${this.prefix}:lock:quota:${name}`);
    const token = randomUUID();
    const held: string[] = [];
    try {
      for (const key of keys) {
        await this.acquire(key, token);
        held.push(key);
      }
      return await work();
    } finally {
      for (const key of held) await releaseLock(this.redis, key, token);
    }
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      if (await takeLock(this.redis, key, token, this.ttlMs)) return;
      if (Date.now() > deadline)
        throw new ConflictException(
          'quota.busy',
          'too many creates at once for this quota; try again',
        );
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
