import { Controller, Get, HttpCode, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { REDIS_CLIENT } from '../../database/redis.provider.js';

const CHECK_TIMEOUT_MS = 2000;

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource,
    @Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null,
  ) {}

  /** The process answers: nothing else is checked, so a slow database never gets it restarted. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready to serve: a database round-trip within 2 s. Redis, when configured, is reported but
   * does not make the replica unready: without it rate limits are counted per replica and
   * revocations reach other replicas within the cache bound, so the service stays up (`degraded`).
   */
  @Get('ready')
  @HttpCode(200)
  async ready() {
    const checks: Record<string, 'ok' | 'down'> = { database: await probe(this.dataSource.query('SELECT 1')) };
    if (this.redis) checks.redis = await probe(this.redis.ping());
    if (checks.database !== 'ok') throw new ServiceUnavailableException({ status: 'down', checks });
    return { status: checks.redis === 'down' ? 'degraded' : 'ok', checks };
  }
}

async function probe(check: Promise<unknown>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.then(() => 'ok' as const), timeout]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
