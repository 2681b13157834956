import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * A fixed-window @nestjs/throttler storage on the shared ioredis client, so that every replica
 * counts a tenant's requests together. Hand-written because @nest-lab/throttler-storage-redis
 * 1.2.0 declares peer @nestjs/common ^7 to ^11 and does not install beside Nest 12.
 * One MULTI per request: create the window if absent (SET NX PX), count (INCRBY keeps the expiry),
 * read what is left of it (PTTL).
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: Redis) {}

  /** `hits` beyond @nestjs/throttler's contract: a `/Bulk` request counts each of its operations. */
  async increment(key: string, ttlMs: number, limit: number, _blockMs?: number, _name?: string, hits = 1): Promise<ThrottlerStorageRecord> {
    const replies = await this.redis.multi().set(key, 0, 'PX', ttlMs, 'NX').incrby(key, hits).pttl(key).exec();
    if (!replies) throw new Error('Redis discarded the rate-limit transaction');
    for (const [error] of replies) if (error) throw error;
    const totalHits = Number(replies[1][1]);
    const leftMs = Math.max(0, Number(replies[2][1]));
    const secondsLeft = Math.max(1, Math.ceil(leftMs / 1000));
    // The window is the block: past the limit a tenant waits for its window to end (blockDuration = ttl).
    const isBlocked = totalHits > limit;
    return { totalHits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
