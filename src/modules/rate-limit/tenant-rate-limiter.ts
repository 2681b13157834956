import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import type { RateLimitStorage } from './rate-limit-storage.js';
import { RATE_LIMIT_STORAGE } from './rate-limit-storage.provider.js';
import { TenantRateLimits, type RequestKind } from './tenant-rate-limits.js';

const WINDOW_MS = 1000;

/** What one request's admission left: the headers every answer to it carries, and whether it is refused. */
export interface Admission {
  readonly headers: Readonly<Record<string, string>>;
  /** Seconds until the window has room again (`Retry-After`); null when admitted. */
  readonly retryAfterSeconds: number | null;
}

/**
 * Per-tenant rate limits of DESIGN.md: reads and writes count separately in one-second windows
 * shared by every token (and, with Redis, every replica) of the tenant. The one counter both the
 * SCIM routes' guard and the direct reads (src/http/direct-routes.ts) count against.
 */
@Injectable()
export class TenantRateLimiter {
  constructor(
    private readonly limits: TenantRateLimits,
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: RateLimitStorage,
  ) {}

  /** Counts `cost` against the tenant's window; a refused request of more than one gives it back, so it does not also shut out what still fits. */
  async admit(tenant: TenantId, kind: RequestKind, cost: number): Promise<Admission> {
    const limit = await this.limits.perSecond(tenant, kind);
    const record = await this.storage.increment(keyOf(tenant, kind), WINDOW_MS, limit, WINDOW_MS, kind, cost);
    const refunded = record.isBlocked && cost > 1;
    if (refunded) await this.giveBack(tenant, kind, cost);
    const hits = refunded ? record.totalHits - cost : record.totalHits;
    return {
      headers: rateLimitHeaders(limit, hits),
      retryAfterSeconds: record.isBlocked ? Math.max(1, record.timeToBlockExpire) : null,
    };
  }

  private async giveBack(tenant: TenantId, kind: RequestKind, cost: number): Promise<void> {
    const limit = await this.limits.perSecond(tenant, kind);
    await this.storage.increment(keyOf(tenant, kind), WINDOW_MS, limit, WINDOW_MS, kind, -cost);
  }
}

const handedOver = new WeakMap<object, Admission>();

/**
 * A request the direct read (src/http/direct-routes.ts) admitted and then hands to the Nest route:
 * its guard takes this admission rather than counting the request a second time. Giving the count
 * back and counting again would not do: between the two, concurrent requests of the tenant would
 * see a window fuller than it is and be refused.
 */
export function handOverAdmission(request: object, admission: Admission): void {
  handedOver.set(request, admission);
}

/** The admission `handOverAdmission` left on this request, once. */
export function takeHandedOverAdmission(request: object): Admission | undefined {
  const admission = handedOver.get(request);
  handedOver.delete(request);
  return admission;
}

function keyOf(tenant: TenantId, kind: RequestKind): string {
  return `roster:rate:${kind}:${tenant}`;
}

/**
 * The de facto rate-limit headers (GitHub's; the IETF httpapi draft spells them without `X-`) for
 * the request's kind: `X-RateLimit-Limit` is the tenant's limit per one-second window,
 * `X-RateLimit-Remaining` what is left of this window after this request.
 */
export function rateLimitHeaders(limit: number, hitsInWindow: number): Record<string, string> {
  return { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, limit - hitsInWindow)) };
}
