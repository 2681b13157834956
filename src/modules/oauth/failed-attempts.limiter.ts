import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { REDIS_CLIENT } from '../../database/redis.provider.js';
import { RedisFallback } from '../rate-limit/redis-fallback.js';

const WINDOW_SECONDS = 60;
const MAX_TRACKED_ADDRESSES = 50_000;

/**
 * Counts failed token requests per client IP in fixed one-minute windows; past the limit the
 * address is refused until its window ends. In Redis when configured, so that every replica
 * counts together; in memory otherwise. Hand-written because @nestjs/throttler counts every
 * request, and here only failures may count: a busy IdP must never lock itself out.
 */
@Injectable()
export class FailedAttemptsLimiter {
  private readonly windows = new Map<string, { count: number; endsAtMs: number }>();

  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly fallback: RedisFallback,
    @Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  async retryAfterSeconds(address: string): Promise<number> {
    const redis = this.redis;
    if (!redis) return this.localRetryAfterSeconds(address);
    return this.fallback.run(async () => {
      const key = this.key(address);
      const [count, ttlMs] = await Promise.all([redis.get(key), redis.pttl(key)]);
      return Number(count ?? 0) >= this.options.tokenFailuresPerMinute ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0;
    }, () => this.localRetryAfterSeconds(address));
  }

  private localRetryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    const nowMs = Date.now();
    if (!window || window.endsAtMs <= nowMs || window.count < this.options.tokenFailuresPerMinute) return 0;
    return Math.ceil((window.endsAtMs - nowMs) / 1000);
  }

  async recordFailure(address: string): Promise<void> {
    const redis = this.redis;
    if (!redis) return this.recordLocally(address);
    await this.fallback.run(async () => {
      const key = this.key(address);
      const count = await redis.incr(key);
      if (count === 1) await redis.expire(key, WINDOW_SECONDS);
    }, () => this.recordLocally(address));
  }

  private recordLocally(address: string): void {
    const nowMs = Date.now();
    const window = this.windows.get(address);
    if (window && window.endsAtMs > nowMs) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) this.dropEndedWindows(nowMs);
    this.windows.set(address, { count: 1, endsAtMs: nowMs + WINDOW_SECONDS * 1000 });
  }

  private dropEndedWindows(nowMs: number): void {
    for (const [address, window] of this.windows) {
      if (window.endsAtMs <= nowMs) this.windows.delete(address);
    }
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) this.windows.clear();
  }

  private key(address: string): string {
    return `roster:oauth-failures:${address}`;
  }
}
