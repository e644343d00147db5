import type { Redis } from 'ioredis';

/** Deletes the key only while `owner` still holds it: a lock that expired and was taken by another stays theirs. */
const RELEASE_IF_HELD =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A lock shared by every replica: a Redis key holding its owner's id that expires after
 * `ttlMs`, so a crashed process frees it. True when `owner` took it now.
 */
export async function takeLock(
  redis: Redis,
  key: string,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  return (await redis.set(key, owner, 'PX', ttlMs, 'NX')) === 'OK';
}

export async function releaseLock(redis: Redis, key: string, owner: string): Promise<void> {
  await redis.eval(RELEASE_IF_HELD, 1, key, owner);
}
