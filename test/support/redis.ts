import { Redis } from 'ioredis';

/** The machine's Redis, which the cross-replica suites share (they skip themselves, saying so, without it). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers PING at TEST_REDIS_URL within a second. */
export async function redisAnswers(): Promise<boolean> {
  // A short disconnectTimeout: where no Redis runs, ioredis's default would keep a 2 s timer alive (redis.provider.ts).
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 100 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
