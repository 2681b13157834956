import { Inject, Injectable, Optional, type FactoryProvider, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ROSTER_OPTIONS } from '../config/injection-tokens.js';
import type { RosterOptions } from '../config/roster-options.js';

/** Injection token of the shared ioredis client; its value is null when REDIS_URL is unset. */
export const REDIS_CLIENT = Symbol('ROSTER_REDIS_CLIENT');

export const redisProvider: FactoryProvider<Redis | null> = {
  provide: REDIS_CLIENT,
  inject: [ROSTER_OPTIONS],
  useFactory: (options: RosterOptions) =>
    options.redisUrl
      ? new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false })
      : null,
};

/** Closes the Redis connection with the app, so that a stopping replica leaves nothing open. */
@Injectable()
export class RedisShutdown implements OnModuleDestroy {
  constructor(@Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null) {}

  async onModuleDestroy(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => undefined);
  }
}
