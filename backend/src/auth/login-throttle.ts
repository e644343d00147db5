import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ThrottleRule {
  /** Attempts that cost nothing; each one after them must wait longer. */
  freeAttempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** A key left alone this long starts over. */
  forgetAfterMs: number;
}

/**
 * Reserves an attempt and refuses it while the key's delay runs, in one step: counting first
 * means a burst of parallel guesses gets no more through than the same guesses in a row.
 * After `freeAttempts`, each attempt delays the next by firstDelayMs, doubling up to maxDelayMs.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local free, first, max, forget = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local waitUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if waitUntil > now then return waitUntil - now end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
if n > free then
  redis.call('HSET', KEYS[1], 'until', now + math.min(max, first * 2 ^ (n - free - 1)))
end
redis.call('PEXPIRE', KEYS[1], forget)
return 0
`;

/** Gives back an attempt that succeeded, so that a shared address's users do not use it up. */
const RELEASE = `
if tonumber(redis.call('HGET', KEYS[1], 'n') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
return 0
`;

/**
 * Growing delays for login attempts per key (a username at an address, an address), kept in
 * Redis so that every replica sees the same counts. Nothing locks: an attacker only slows
 * themselves, and counters expire, so memory stays bounded however many names are tried.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    /** Namespaces the counters: the queue prefix and what is counted. */
    private readonly namespace: string,
    private readonly rule: ThrottleRule,
  ) {}

  /** 0 when the attempt may go ahead (and is counted); otherwise milliseconds to wait. */
  async reserve(key: string, now = Date.now()): Promise<number> {
    const { freeAttempts, firstDelayMs, maxDelayMs, forgetAfterMs } = this.rule;
    return Number(
      await this.redis.eval(
        RESERVE,
        1,
        this.counter(key),
        now,
        freeAttempts,
        firstDelayMs,
        maxDelayMs,
        forgetAfterMs,
      ),
    );
  }

  /** The reserved attempt succeeded: it does not count. */
  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.counter(key));
  }

  /** Starts the key over (the right password for this username from this address). */
  async clear(key: string): Promise<void> {
    await this.redis.del(this.counter(key));
  }

  /** Hashed: a key is user input of any length. */
  private counter(key: string): string {
    return `${this.namespace}:${createHash('sha256').update(key).digest('base64url')}`;
  }
}
