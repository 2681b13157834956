import type { FastifyReply } from 'fastify';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { ScimError } from '../../scim/errors.js';
import type { Principal } from '../auth/principal.js';
import type { RateLimitStorage } from './rate-limit-storage.js';
import { RATE_LIMIT_STORAGE } from './rate-limit-storage.provider.js';
import { TenantRateLimits, type RequestKind } from './tenant-rate-limits.js';

const WINDOW_MS = 1000;

interface ScimRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
  readonly user?: Principal;
}

/**
 * Per-tenant rate limits of DESIGN.md on the SCIM resource endpoints: reads and writes count
 * separately in one-second windows shared by every token (and, with Redis, every replica) of
 * the tenant. Runs after ScimAuthGuard, whose principal names the tenant.
 * Not a ThrottlerGuard subclass: @nestjs/throttler 6.7.1 (the latest) is CommonJS and
 * require()s @nestjs/common, which is ESM-only in Nest 12; Jest's module runtime cannot do that
 * on Node 20 ("Must use import to load ES Module"), so only its ThrottlerStorage contract is used.
 */
@Injectable()
export class TenantThrottlerGuard implements CanActivate {
  constructor(
    private readonly limits: TenantRateLimits,
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: RateLimitStorage,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    if (!request.user) throw new Error('TenantThrottlerGuard must run after ScimAuthGuard');
    const tenant = request.user.tenantId;
    const kind = requestKindOf(request);
    const limit = await this.limits.perSecond(tenant, kind);
    const key = `roster:rate:${kind}:${tenant}`;
    const cost = costOf(request, this.options.bulkMaxOperations);
    const record = await this.storage.increment(key, WINDOW_MS, limit, WINDOW_MS, kind, cost);
    // A refused bulk gives its operations back, so it does not also shut out the writes that still fit.
    const refunded = record.isBlocked && cost > 1;
    if (refunded) await this.storage.increment(key, WINDOW_MS, limit, WINDOW_MS, kind, -cost);
    // On the reply now, so that every answer from here on carries them: success, any error, the 429 below.
    void context.switchToHttp().getResponse<FastifyReply>().headers(rateLimitHeaders(limit, refunded ? record.totalHits - cost : record.totalHits));
    if (record.isBlocked) throw ScimError.tooManyRequests(Math.max(1, record.timeToBlockExpire));
    return true;
  }
}

/**
 * What a request counts against its tenant's limit: a `/Bulk` request one write per operation
 * (RFC 7644 §3.7), admitted whole or not at all, so no bulk runs half; any other request one.
 */
function costOf(request: ScimRequest, maxOperations: number): number {
  const path = request.url.split('?')[0].replace(/\/+$/, '');
  if (request.method !== 'POST' || !path.toLowerCase().endsWith('/bulk')) return 1;
  const body = request.body;
  const operations = typeof body === 'object' && body !== null ? Object.entries(body).find(([key]) => key.toLowerCase() === 'operations')?.[1] : undefined;
  // Over maxOperations the request is refused whole (413) before anything runs: it costs one.
  return Array.isArray(operations) && operations.length <= maxOperations ? Math.max(1, operations.length) : 1;
}

/**
 * The de facto rate-limit headers (GitHub's; the IETF httpapi draft spells them without `X-`) for
 * the request's kind: `X-RateLimit-Limit` is the tenant's limit per one-second window,
 * `X-RateLimit-Remaining` what is left of this window after this request.
 */
export function rateLimitHeaders(limit: number, hitsInWindow: number): Record<string, string> {
  return { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, limit - hitsInWindow)) };
}

/** GET and HEAD read; so does POST …/.search (RFC 7644 §3.4.3); everything else writes. */
export function requestKindOf(request: Pick<ScimRequest, 'method' | 'url'>): RequestKind {
  if (request.method === 'GET' || request.method === 'HEAD') return 'read';
  const path = request.url.split('?')[0];
  return request.method === 'POST' && path.endsWith('/.search') ? 'read' : 'write';
}
