import { Inject, Injectable, Logger, Optional, type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ROSTER_OPTIONS } from '../config/injection-tokens.js';
import type { RosterOptions } from '../config/roster-options.js';

/** Injection token of the shared ioredis client; its value is null when REDIS_URL is unset. */
export const REDIS_CLIENT = Symbol('ROSTER_REDIS_CLIENT');

const DISCONNECT_TIMEOUT_MS = 100;

export const redisProvider: FactoryProvider<Promise<Redis | null>> = {
  provide: REDIS_CLIENT,
  inject: [ROSTER_OPTIONS],
  useFactory: async (options: RosterOptions) => {
    if (!options.redisUrl) return null;
    // Loaded only when configured: ioredis is some 60 ms of start-up that a replica without Redis never uses (issue 15).
    const { Redis } = await import('ioredis');
    const redis = new Redis(options.redisUrl, {
      maxRetriesPerRequest: 2,
      // Reconnect quickly and keep trying: readiness reports Redis as down meanwhile.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      // How long disconnect() waits for the socket to close before destroying it. ioredis arms
      // that timer even for a socket that has already closed (refused, while reconnecting), and
      // nothing clears it then: at its default of 2 s, an app closed while Redis was out of reach
      // kept its process alive 2 s longer (a host app's, or Jest's: "a worker process has failed
      // to exit gracefully").
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    });
    const logger = new Logger('Roster');
    // Without a listener ioredis prints every failed reconnect; the URL (and its password) stays out of the log.
    redis.on('error', (error: Error & { code?: string }) => logger.warn(`Redis: ${error.code ?? error.name}`));
    return redis;
  },
};

/**
 * Closes the Redis connection with the app, so that a stopping replica leaves nothing open. At
 * application shutdown, which Nest runs after the HTTP server has closed: requests still in
 * flight during the drain may need their rate-limit counters (onModuleDestroy runs before it).
 */
@Injectable()
export class RedisShutdown implements OnApplicationShutdown {
  constructor(@Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    // quit() waits for a reply that never comes while the client is still reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect(false);
  }
}
