import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AdminKeyEntity } from '../../database/entities/admin-key.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { type AdminScope, isAdminScope } from '../../domain/admin-scopes.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import { RevocationBus } from '../auth/revocation-bus.js';
import { generateToken, sha256Hex, TOKEN_PREFIX } from '../auth/token-codec.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AdminKeysRepository } from './admin-keys.repository.js';

/** Who calls the admin API: the bootstrap ADMIN_TOKEN (everything), or an admin key. */
export interface AdminPrincipal {
  /** null for ADMIN_TOKEN. */
  readonly keyId: string | null;
  /** null for ADMIN_TOKEN, which may do everything. */
  readonly scopes: readonly AdminScope[] | null;
  /** The one tenant a bound key sees; null: every tenant. */
  readonly tenantId: string | null;
}

export interface AdminKeyView {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly AdminScope[];
  readonly tenantId: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface AdminKeyInput {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly tenantId?: string | null;
}

// Revocation reaches other replicas within this bound (as for tokens, DESIGN.md allows 60 s).
const CACHE_MS = 30_000;
const MAX_CACHED = 10_000;

/**
 * Scoped admin keys (DESIGN.md "Admin API"): minted with a name, scopes and optionally one
 * tenant, shown once, stored as the SHA-256 of their 256 random bits, revocable.
 */
@Injectable()
export class AdminKeysService {
  private readonly cache = new Map<string, { principal: AdminPrincipal | null; cachedAtMs: number }>();

  constructor(
    private readonly keys: AdminKeysRepository,
    private readonly tenants: TenantsService,
    private readonly revocations: RevocationBus,
  ) {
    revocations.onRevocation(({ kind }) => {
      if (kind === 'adminKey') this.cache.clear();
    });
  }

  async mint(input: AdminKeyInput): Promise<AdminKeyView & { key: string }> {
    const unknown = input.scopes.filter((scope) => !isAdminScope(scope));
    if (input.scopes.length === 0 || unknown.length > 0) throw ScimError.invalidValue('scopes must be a non-empty list of "admin:read", "admin:write" and "access:read"');
    const tenantId = input.tenantId ?? null;
    if (tenantId !== null) await this.tenants.require(asTenantId(tenantId));
    const key = generateToken(TOKEN_PREFIX.adminKey);
    const row = Object.assign(new AdminKeyEntity(), {
      id: randomUUID(),
      name: input.name,
      keyHash: sha256Hex(key),
      scopes: [...new Set(input.scopes.filter(isAdminScope))],
      tenantId,
      createdAt: nowIso(),
      revokedAt: null,
    });
    await this.keys.insert(row);
    return { ...toView(row), key };
  }

  async list(): Promise<AdminKeyView[]> {
    return (await this.keys.list()).map(toView);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id, nowIso()))) throw ScimError.notFound('AdminKey', id);
    // At once here and, with Redis, on every replica; else within CACHE_MS on the others.
    this.revocations.publish({ kind: 'adminKey', id });
  }

  /** The principal of a presented key, or null when it is unknown or revoked. */
  async principalOf(key: string, nowMs = Date.now()): Promise<AdminPrincipal | null> {
    const hash = sha256Hex(key);
    const cached = this.cache.get(hash);
    if (cached && nowMs - cached.cachedAtMs < CACHE_MS) return cached.principal;
    const row = await this.keys.findLiveByHash(hash);
    const principal = row === null ? null : { keyId: row.id, scopes: row.scopes, tenantId: row.tenantId };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(hash, { principal, cachedAtMs: nowMs });
    return principal;
  }
}

function toView(row: AdminKeyEntity): AdminKeyView {
  return { id: row.id, name: row.name, scopes: row.scopes, tenantId: row.tenantId, createdAt: row.createdAt, revokedAt: row.revokedAt };
}
