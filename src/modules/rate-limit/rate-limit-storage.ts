import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** @nestjs/throttler's storage contract, plus counting several hits at once (a `/Bulk` request's operations). */
export interface RateLimitStorage extends ThrottlerStorage {
  increment(key: string, ttlMs: number, limit: number, blockMs?: number, name?: string, hits?: number): Promise<ThrottlerStorageRecord>;
}
