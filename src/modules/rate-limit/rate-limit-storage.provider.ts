import type { FactoryProvider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../database/redis.provider.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import type { RateLimitStorage } from './rate-limit-storage.js';
import { RedisFallback } from './redis-fallback.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** Injection token of the rate-limit counters: in Redis when REDIS_URL is set (shared by replicas), else in memory. */
export const RATE_LIMIT_STORAGE = Symbol('ROSTER_RATE_LIMIT_STORAGE');

export const rateLimitStorageProvider: FactoryProvider<RateLimitStorage> = {
  provide: RATE_LIMIT_STORAGE,
  inject: [REDIS_CLIENT, RedisFallback],
  useFactory: (redis: Redis | null, fallback: RedisFallback) => {
    const local = new MemoryThrottlerStorage();
    if (!redis) return local;
    const shared = new RedisThrottlerStorage(redis);
    // While Redis cannot be reached, this replica counts on its own (redis-fallback.ts).
    return { increment: (...args: Parameters<RateLimitStorage['increment']>) => fallback.run(() => shared.increment(...args), () => local.increment(...args)) };
  },
};
