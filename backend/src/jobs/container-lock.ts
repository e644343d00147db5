import type { Redis } from 'ioredis';
import { releaseLock, takeLock } from '../common/redis-lock.js';

/**
 * One job at a time per container, across workers and replicas: a Redis key per container
 * holds the running job's id. It expires unless renewed, so a crashed process frees it.
 * Chosen over a queue per container because one queue and worker stay simple, and a job that
 * finds its container busy just goes back to the queue for a moment: it notes itself as a waiter,
 * and whoever releases the lock hands the waiters back to be run at once (see JobRunner).
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

  /** Notes that `jobId` waits for the container (forgotten after the lock's time to live). */
  async wait(containerId: string, jobId: string): Promise<void> {
    const key = this.waitersKey(containerId);
    await this.redis.multi().sadd(key, jobId).pexpire(key, this.ttlMs).exec();
  }

  /** The jobs that waited for the container, each handed out once. */
  async takeWaiters(containerId: string): Promise<string[]> {
    const key = this.waitersKey(containerId);
    const answers = await this.redis.multi().smembers(key).del(key).exec();
    const members = answers?.[0]?.[1];
    return Array.isArray(members) ? (members as string[]) : [];
  }

  async isFree(containerId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(containerId))) === 0;
  }

  private key(containerId: string): string {
    return `${this.prefix}:lock:container:${containerId}`;
  }

  private waitersKey(containerId: string): string {
    return `${this.key(containerId)}:waiters`;
  }
}

/** The Redis key held while a catalog recovery runs (one at a time; orphans wait for it). */
export function recoveryLockKey(prefix: string): string {
  return `${prefix}:lock:recovery`;
}
