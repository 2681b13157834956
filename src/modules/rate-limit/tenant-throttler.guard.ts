import type { FastifyReply } from 'fastify';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { ScimError } from '../../scim/errors.js';
import type { Principal } from '../auth/principal.js';
import { takeHandedOverAdmission, TenantRateLimiter } from './tenant-rate-limiter.js';
import type { RequestKind } from './tenant-rate-limits.js';

interface ScimRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
  readonly user?: Principal;
}

/**
 * Per-tenant rate limits of DESIGN.md (TenantRateLimiter) on the SCIM resource endpoints. Runs
 * after ScimAuthGuard, whose principal names the tenant.
 * Not a ThrottlerGuard subclass: @nestjs/throttler 6.7.1 (the latest) is CommonJS and
 * require()s @nestjs/common, which is ESM-only in Nest 12; Jest's module runtime cannot do that
 * on Node 20 ("Must use import to load ES Module"), so only its ThrottlerStorage contract is used.
 */
@Injectable()
export class TenantThrottlerGuard implements CanActivate {
  constructor(
    private readonly limiter: TenantRateLimiter,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    if (!request.user) throw new Error('TenantThrottlerGuard must run after ScimAuthGuard');
    const admission =
      takeHandedOverAdmission(request) ?? (await this.limiter.admit(request.user.tenantId, requestKindOf(request), costOf(request, this.options.bulkMaxOperations)));
    // On the reply now, so that every answer from here on carries them: success, any error, the 429 below.
    void context.switchToHttp().getResponse<FastifyReply>().headers(admission.headers);
    if (admission.retryAfterSeconds !== null) throw ScimError.tooManyRequests(admission.retryAfterSeconds);
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

/** GET and HEAD read; so does POST …/.search (RFC 7644 §3.4.3); everything else writes. */
export function requestKindOf(request: Pick<ScimRequest, 'method' | 'url'>): RequestKind {
  if (request.method === 'GET' || request.method === 'HEAD') return 'read';
  const path = request.url.split('?')[0];
  return request.method === 'POST' && path.endsWith('/.search') ? 'read' : 'write';
}
