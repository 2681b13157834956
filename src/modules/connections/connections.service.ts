import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiConnectionEntity } from '../../database/entities/api-connection.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { ScimError } from '../../scim/errors.js';
import type { ConnectionActivity } from '../events/connection-activity.js';
import { EventsRecorder } from '../events/events-recorder.js';
import { EventsService } from '../events/events.service.js';
import { isValidRange } from '../auth/ip-allowlist.js';
import { parseScopeList, type Scope } from '../../domain/scopes.js';
import { hashSecret } from '../auth/secret-hash.js';
import { TOKEN_PREFIX, generateClientId, generateToken } from '../auth/token-codec.js';
import { TokenService, type IssuedToken } from '../auth/token.service.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { ConnectionsRepository } from './connections.repository.js';
import { isStorableText } from '../../scim/storable-text.js';

export interface CreateConnectionInput {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly allowedCidrs?: readonly string[];
}

export interface ConnectionView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly clientId: string;
  readonly scopes: readonly Scope[];
  readonly allowedCidrs: readonly string[];
  readonly createdAt: string;
  readonly revokedAt: string | null;
  /** When a token of it was last accepted, to the minute; null before its first use. */
  readonly lastUsedAt: string | null;
}

/** A connection as the list shows it: with its writes of the last 24 h and its last refused request. */
export interface ConnectionHealthView extends ConnectionView {
  readonly activity: ConnectionActivity;
}

export interface SecretTokenView {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

@Injectable()
export class ConnectionsService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly connections: ConnectionsRepository,
    private readonly tokenService: TokenService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventsRecorder,
    private readonly activity: EventsService,
  ) {}

  /** Creates a connection; the client secret is in this answer only and is stored hashed. */
  async create(tenant: TenantId, input: CreateConnectionInput): Promise<ConnectionView & { clientSecret: string }> {
    await this.tenants.require(tenant);
    const { scopes, unknown } = parseScopeList(input.scopes.join(' '));
    if (unknown.length > 0 || scopes.length === 0) {
      throw ScimError.invalidValue(`scopes must be a non-empty list of "scim.read" and "scim.write"`);
    }
    const allowedCidrs = (input.allowedCidrs ?? []).map((cidr) => cidr.trim());
    const invalid = allowedCidrs.find((cidr) => !isValidRange(cidr));
    if (invalid !== undefined) throw ScimError.invalidValue(`allowedCidrs: ${JSON.stringify(invalid)} is not a CIDR or address`);
    const clientSecret = generateToken(TOKEN_PREFIX.clientSecret);
    const connection = Object.assign(new ApiConnectionEntity(), {
      id: randomUUID(),
      tenantId: tenant,
      name: input.name,
      clientId: generateClientId(),
      secretHash: await hashSecret(clientSecret),
      scopes,
      allowedCidrs,
      createdAt: nowIso(),
      revokedAt: null,
    });
    await this.transactions.run(async (manager) => {
      await this.connections.insert(connection, manager);
      await this.events.recordFacts(tenant, [{ type: 'connection.created', resource: { type: 'Connection', id: connection.id }, data: { name: connection.name, scopes } }], manager);
    });
    return { ...toConnectionView(connection), clientSecret };
  }

  async list(tenant: TenantId): Promise<ConnectionHealthView[]> {
    await this.tenants.require(tenant);
    const connections = await this.connections.list(tenant);
    const activity = await this.activity.activityOf(tenant, connections.map((connection) => connection.id));
    return connections.map((connection) => ({
      ...toConnectionView(connection),
      activity: activity.get(connection.id) ?? { writes: { accepted: 0, refused: 0 }, lastRefused: null },
    }));
  }

  /** Revokes a connection: its client credentials and every token it holds stop working. */
  async revoke(tenant: TenantId, connectionId: string): Promise<void> {
    await this.require(tenant, connectionId);
    await this.transactions.run(async (manager) => {
      if (!(await this.connections.revoke(tenant, connectionId, nowIso(), manager))) return;
      await this.events.recordFacts(tenant, [{ type: 'connection.revoked', resource: { type: 'Connection', id: connectionId } }], manager);
    });
    this.tokenService.forgetConnection(connectionId);
  }

  async mintSecretToken(tenant: TenantId, connectionId: string, expiresInDays?: number): Promise<IssuedToken> {
    const connection = await this.require(tenant, connectionId);
    if (connection.revokedAt !== null) throw ScimError.invalidValue(`connection ${connectionId} is revoked`);
    return this.tokenService.mintSecretToken(connection, expiresInDays);
  }

  async listSecretTokens(tenant: TenantId, connectionId: string): Promise<SecretTokenView[]> {
    await this.require(tenant, connectionId);
    const tokens = await this.tokenService.listSecretTokens(tenant, connectionId);
    return tokens.map(({ id, createdAt, expiresAt, revokedAt }) => ({ id, createdAt, expiresAt, revokedAt }));
  }

  async revokeSecretToken(tenant: TenantId, connectionId: string, tokenId: string): Promise<void> {
    if (!(await this.tokenService.revokeSecretToken(tenant, connectionId, tokenId, nowIso()))) throw ScimError.notFound('Token', tokenId);
  }

  /** The connection a client id names, unless it is revoked (RFC 6749 §2.3.1 client authentication). */
  /** Null for an id that names no client, including one PostgreSQL could not even compare (U+0000). */
  async findActiveByClientId(clientId: string): Promise<ApiConnectionEntity | null> {
    if (!isStorableText(clientId)) return null;
    return this.connections.findActiveByClientId(clientId);
  }

  private async require(tenant: TenantId, connectionId: string): Promise<ApiConnectionEntity> {
    const connection = await this.connections.findById(tenant, connectionId);
    if (!connection) throw ScimError.notFound('Connection', connectionId);
    return connection;
  }
}

function toConnectionView(connection: ApiConnectionEntity): ConnectionView {
  const { id, tenantId, name, clientId, scopes, allowedCidrs, createdAt, revokedAt, lastUsedAt } = connection;
  return { id, tenantId, name, clientId, scopes, allowedCidrs, createdAt, revokedAt, lastUsedAt: lastUsedAt ?? null };
}
