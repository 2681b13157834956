import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { TenantsService } from '../tenants/tenants.service.js';

export type RequestKind = 'read' | 'write';

interface Limits {
  readonly read: number;
  readonly write: number;
}

const MAX_CACHED_TENANTS = 10_000;

/**
 * A tenant's requests per second: its override, else the service default. Kept for
 * `tenantSettingsCacheMs` so that rate limiting costs no database query per request; an admin
 * change therefore takes effect within that time on every replica.
 */
@Injectable()
export class TenantRateLimits {
  private readonly cache = new Map<TenantId, { limits: Promise<Limits>; expiresAtMs: number }>();

  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly tenants: TenantsService,
  ) {}

  async perSecond(tenant: TenantId, kind: RequestKind): Promise<number> {
    return (await this.limitsOf(tenant))[kind];
  }

  private limitsOf(tenant: TenantId): Promise<Limits> {
    const nowMs = Date.now();
    const cached = this.cache.get(tenant);
    if (cached && cached.expiresAtMs > nowMs) return cached.limits;
    if (this.cache.size >= MAX_CACHED_TENANTS) this.dropExpired(nowMs);
    // The promise is cached, so a burst of requests on a cold entry reads the tenant once.
    const limits = this.load(tenant);
    this.cache.set(tenant, { limits, expiresAtMs: nowMs + this.options.tenantSettingsCacheMs });
    limits.catch(() => this.cache.delete(tenant));
    return limits;
  }

  private async load(tenant: TenantId): Promise<Limits> {
    const overrides = (await this.tenants.require(tenant)).settings.rateLimits;
    const defaults = this.options.rateLimits;
    return {
      read: overrides?.readPerSecond ?? defaults.readPerSecond,
      write: overrides?.writePerSecond ?? defaults.writePerSecond,
    };
  }

  private dropExpired(nowMs: number): void {
    for (const [tenant, entry] of this.cache) {
      if (entry.expiresAtMs <= nowMs) this.cache.delete(tenant);
    }
    if (this.cache.size >= MAX_CACHED_TENANTS) this.cache.clear();
  }
}
