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

  /** Ready to serve: a database round-trip (and a Redis PING when configured) within 2 s. */
  @Get('ready')
  @HttpCode(200)
  async ready() {
    const checks: Record<string, 'ok' | 'down'> = { database: await probe(this.dataSource.query('SELECT 1')) };
    if (this.redis) checks.redis = await probe(this.redis.ping());
    const status = Object.values(checks).every((check) => check === 'ok') ? 'ok' : 'down';
    if (status !== 'ok') throw new ServiceUnavailableException({ status, checks });
    return { status, checks };
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
