import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { ApiTokenEntity, type ApiTokenKind } from '../../database/entities/api-token.entity.js';
import { addSeconds, nowIso, type IsoTimestamp } from '../../database/timestamps.js';
import type { ApiConnectionEntity } from '../../database/entities/api-connection.entity.js';
import { asTenantId, type TenantId } from '../../domain/tenant-id.js';
import type { Principal } from './principal.js';
import type { Scope } from '../../domain/scopes.js';
import { TOKEN_PREFIX, generateToken, sha256Hex } from './token-codec.js';
import { RevocationBus } from './revocation-bus.js';
import { TokensRepository } from './tokens.repository.js';

/**
 * How long a replica may answer from its cache after a connection or token was revoked on
 * another replica. The contract allows 60 s; half of it leaves room for clock skew.
 */
export const PRINCIPAL_CACHE_SECONDS = 30;
const PRINCIPAL_CACHE_MAX_ENTRIES = 10_000;
const EXPIRED_SWEEP_INTERVAL_MS = 60_000;

export interface IssuedToken {
  readonly id: string;
  readonly token: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt: IsoTimestamp | null;
}

interface CachedPrincipal {
  readonly principal: Principal;
  readonly cachedAtMs: number;
}

/**
 * Opaque bearer tokens, stored as SHA-256 hashes. Opaque rather than signed (JWT) so that any
 * replica can check one against the shared database without a shared signing key, and so that
 * revoking a connection or a token takes effect on the next look-up.
 */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_NOTED_CONNECTIONS = 50_000;

@Injectable()
export class TokenService {
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly lastNoted = new Map<string, number>();
  private lastSweepMs = 0;

  constructor(
    private readonly tokens: TokensRepository,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly revocations: RevocationBus,
  ) {
    revocations.onRevocation(({ kind, id }) => {
      if (kind === 'connection') this.forget((principal) => principal.connectionId === id);
      if (kind === 'token') this.forget((principal) => principal.tokenId === id);
    });
  }

  issueAccessToken(connection: ApiConnectionEntity, scopes: readonly Scope[]): Promise<IssuedToken> {
    return this.issue(connection, 'access', scopes, this.options.accessTokenTtlSeconds);
  }

  mintSecretToken(connection: ApiConnectionEntity, expiresInDays: number | undefined): Promise<IssuedToken> {
    const ttl = expiresInDays === undefined ? undefined : expiresInDays * 86_400;
    return this.issue(connection, 'secret', connection.scopes, ttl);
  }

  listSecretTokens(tenant: TenantId, connectionId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.listSecretTokens(tenant, connectionId);
  }

  /** Revokes a connection's secret token, here at once and elsewhere within the cache bound; false when there is none. */
  async revokeSecretToken(tenant: TenantId, connectionId: string, tokenId: string, at: IsoTimestamp): Promise<boolean> {
    const revoked = await this.tokens.revoke(tenant, connectionId, tokenId, at);
    if (revoked !== null) this.revocations.publish({ kind: 'token', id: tokenId });
    return revoked !== null;
  }

  /** The principal behind a bearer token, or null when it is unknown, expired or revoked. */
  async verify(token: string): Promise<Principal | null> {
    const hash = sha256Hex(token);
    const nowMs = Date.now();
    const cached = this.cache.get(hash);
    const principal =
      cached && nowMs - cached.cachedAtMs < PRINCIPAL_CACHE_SECONDS * 1000 ? cached.principal : await this.load(hash, nowMs);
    if (!principal) return null;
    if (principal.expiresAt !== null && Date.parse(principal.expiresAt) <= nowMs) {
      this.cache.delete(hash);
      return null;
    }
    this.noteUse(principal.connectionId, nowMs);
    return principal;
  }

  /**
   * A connection's `lastUsedAt` for support: written at most once a minute per replica and never
   * awaited, so that checking a token costs no write on the request path.
   */
  private noteUse(connectionId: string, nowMs: number): void {
    if (nowMs - (this.lastNoted.get(connectionId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    if (this.lastNoted.size >= MAX_NOTED_CONNECTIONS) this.lastNoted.clear();
    this.lastNoted.set(connectionId, nowMs);
    this.tokens.markConnectionUsed(connectionId, new Date(nowMs).toISOString()).catch(() => this.lastNoted.delete(connectionId));
  }

  /** Drops cached principals of a connection, so that its revocation is immediate on this replica. */
  forgetConnection(connectionId: string): void {
    this.revocations.publish({ kind: 'connection', id: connectionId });
  }

  private forget(revoked: (principal: Principal) => boolean): void {
    for (const [hash, entry] of this.cache) {
      if (revoked(entry.principal)) this.cache.delete(hash);
    }
  }

  private async load(hash: string, nowMs: number): Promise<Principal | null> {
    this.cache.delete(hash);
    const found = await this.tokens.findByHash(hash);
    if (!found || found.token.revokedAt !== null || found.connection.revokedAt !== null) return null;
    const principal: Principal = {
      tenantId: asTenantId(found.token.tenantId),
      connectionId: found.connection.id,
      tokenId: found.token.id,
      scopes: found.token.scopes.filter((scope) => found.connection.scopes.includes(scope)),
      allowedCidrs: found.connection.allowedCidrs,
      expiresAt: found.token.expiresAt,
    };
    if (this.cache.size >= PRINCIPAL_CACHE_MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, { principal, cachedAtMs: nowMs });
    return principal;
  }

  private async issue(
    connection: ApiConnectionEntity,
    kind: ApiTokenKind,
    scopes: readonly Scope[],
    ttlSeconds: number | undefined,
  ): Promise<IssuedToken> {
    const now = nowIso();
    const token = generateToken(kind === 'access' ? TOKEN_PREFIX.access : TOKEN_PREFIX.secret);
    const entity = Object.assign(new ApiTokenEntity(), {
      id: randomUUID(),
      tenantId: connection.tenantId,
      connectionId: connection.id,
      kind,
      tokenHash: sha256Hex(token),
      scopes: [...scopes],
      createdAt: now,
      expiresAt: ttlSeconds === undefined ? null : addSeconds(now, ttlSeconds),
      revokedAt: null,
    });
    await this.tokens.insert(entity);
    await this.sweepExpired(now);
    return { id: entity.id, token, scopes: entity.scopes, expiresAt: entity.expiresAt };
  }

  private async sweepExpired(now: IsoTimestamp): Promise<void> {
    const nowMs = Date.parse(now);
    if (nowMs - this.lastSweepMs < EXPIRED_SWEEP_INTERVAL_MS) return;
    this.lastSweepMs = nowMs;
    await this.tokens.deleteExpiredAccessTokens(now);
  }
}
