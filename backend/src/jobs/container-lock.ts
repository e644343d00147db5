import type { Redis } from 'ioredis';
import { releaseLock, takeLock } from '../common/redis-lock.js';

/**
 * One job at a time per container, across workers and replicas: a Redis key per container
 * holds the running job's id. It expires unless renewed, so a crashed process frees it.
 * Chosen over a queue per container because one queue and worker stay simple, and a job that
 * finds its container busy just goes back to the queue for a moment.
 */
export class ContainerLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = 60_000,
  ) {}

  /** True when `jobId` now holds the lock (also when it already held it, after a retry). */
  async acquire(containerId: string, jobId: string): Promise<boolean> {
    const key = this.key(containerId);
    if (await takeLock(this.redis, key, jobId, this.ttlMs)) return true;
    if ((await this.redis.get(key)) !== jobId) return false;
    await this.redis.pexpire(key, this.ttlMs);
    return true;
  }

  /** Keeps the lock alive while a long job runs; returns the stop function. */
  keepAlive(containerId: string, jobId: string): () => void {
    const timer = setInterval(
      () => void this.redis.set(this.key(containerId), jobId, 'PX', this.ttlMs, 'XX'),
      this.ttlMs / 3,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  async release(containerId: string, jobId: string): Promise<void> {
    await releaseLock(this.redis, this.key(containerId), jobId);
  }

  private key(containerId: string): string {
    return `${this.prefix}:lock:container:${containerId}`;
  }
}

/** The Redis key held while a catalog recovery runs (one at a time; orphans wait for it). */
export function recoveryLockKey(prefix: string): string {
  return `${prefix}:lock:recovery`;
}
