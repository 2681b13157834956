import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const MAX_TRACKED_KEYS = 50_000;

/**
 * Fixed-window counters in this process, for a single replica without Redis; the same
 * semantics as RedisThrottlerStorage. Stands in for @nestjs/throttler's ThrottlerStorageService,
 * which cannot be loaded here (see TenantThrottlerGuard).
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, { hits: number; endsAtMs: number }>();

  /** `hits` beyond @nestjs/throttler's contract: a `/Bulk` request counts each of its operations. */
  async increment(key: string, ttlMs: number, limit: number, _blockMs?: number, _name?: string, hits = 1): Promise<ThrottlerStorageRecord> {
    const nowMs = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAtMs <= nowMs) {
      if (this.windows.size >= MAX_TRACKED_KEYS) this.dropEndedWindows(nowMs);
      window = { hits: 0, endsAtMs: nowMs + ttlMs };
      this.windows.set(key, window);
    }
    window.hits += hits;
    const secondsLeft = Math.max(1, Math.ceil((window.endsAtMs - nowMs) / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  private dropEndedWindows(nowMs: number): void {
    for (const [key, window] of this.windows) {
      if (window.endsAtMs <= nowMs) this.windows.delete(key);
    }
    if (this.windows.size >= MAX_TRACKED_KEYS) this.windows.clear();
  }
}
