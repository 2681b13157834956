import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../database/redis.provider.js';
import { isDependencyUnavailable } from '../../database/unavailable.js';
import { RosterMetrics } from '../metrics/roster-metrics.js';

// How long an unreachable Redis is left alone before the next request tries it again.
const RETRY_AFTER_MS = 5_000;

/**
 * Rate limiting while Redis cannot be reached (DESIGN.md "Operations"): each replica counts on
 * its own instead of refusing requests, says so once in a warning and in the
 * `roster_rate_limit_per_replica` gauge, and goes back to the shared counters as soon as the
 * client is connected again (or, failing that, when a request finds Redis answering).
 * A limit counted per replica lets through up to replicas × limit: the price of staying up.
 */
@Injectable()
export class RedisFallback {
  private readonly logger = new Logger('RateLimits');
  private retryAtMs = 0;
  private perReplica = false;

  constructor(
    private readonly metrics: RosterMetrics,
    @Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null,
  ) {
    // Without this, an idle replica would report per-replica counting (gauge 1) until its next
    // request, and the first requests after a reconnect would still wait out RETRY_AFTER_MS.
    redis?.on('ready', () => {
      this.retryAtMs = 0;
      this.mark(false);
    });
  }

  async run<T>(shared: () => Promise<T>, local: () => T | Promise<T>): Promise<T> {
    // A client still reconnecting would hold the request until ioredis gives up (0.3–1 s, measured
    // in test/e2e/redis-outage.e2e-spec.ts), every RETRY_AFTER_MS; its 'ready' event ends the wait instead.
    if (Date.now() < this.retryAtMs || (this.perReplica && this.redis && this.redis.status !== 'ready')) return local();
    try {
      const result = await shared();
      this.mark(false);
      return result;
    } catch (error) {
      if (!isDependencyUnavailable(error)) throw error;
      this.retryAtMs = Date.now() + RETRY_AFTER_MS;
      this.mark(true);
      return local();
    }
  }

  private mark(perReplica: boolean): void {
    if (perReplica === this.perReplica) return;
    this.perReplica = perReplica;
    this.metrics.setRateLimitPerReplica(perReplica);
    if (perReplica) this.logger.warn('Redis cannot be reached: rate limits are counted per replica until it answers again.');
    else this.logger.log('Redis answers again: rate limits are counted across replicas.');
  }
}
