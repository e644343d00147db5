import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Counts failed logins per key (a username, a client address) in Redis, so that every replica
 * sees the same count. After `maxFailures` within `windowMs` of the first failure, attempts
 * are refused until that window ends; the counter expires with it, so memory stays bounded
 * however many names are tried.
 */
export class LoginLimiter {
  constructor(
    private readonly redis: Redis,
    /** Namespaces the counters: the queue prefix and what is counted, e.g. `bp:login:user`. */
    private readonly namespace: string,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  async isBlocked(key: string): Promise<boolean> {
    return Number((await this.redis.get(this.counter(key))) ?? 0) >= this.maxFailures;
  }

  async recordFailure(key: string): Promise<void> {
    const counter = this.counter(key);
    // The window starts with the first failure; INCR keeps the expiry SET gave it.
    await this.redis.multi().set(counter, 0, 'PX', this.windowMs, 'NX').incr(counter).exec();
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.counter(key));
  }

  /** Hashed: a key is user input of any length. */
  private counter(key: string): string {
    return `${this.namespace}:${createHash('sha256').update(key).digest('base64url')}`;
  }
}
