import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, type Repository } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { ApiConnectionEntity } from '../../database/entities/api-connection.entity.js';
import { ApiTokenEntity } from '../../database/entities/api-token.entity.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';

export interface TokenWithConnection {
  readonly token: ApiTokenEntity;
  readonly connection: ApiConnectionEntity;
}

@Injectable()
export class TokensRepository {
  constructor(
    @InjectRepository(ApiTokenEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<ApiTokenEntity>,
    @InjectRepository(ApiConnectionEntity, ROSTER_DATA_SOURCE)
    private readonly connections: Repository<ApiConnectionEntity>,
  ) {}

  async insert(token: ApiTokenEntity): Promise<void> {
    await this.rows.insert(token);
  }

  /**
   * A bearer token names no tenant: this look-up by the token's hash is how a SCIM request
   * finds its tenant. The connection comes along, because a revoked connection voids its tokens.
   */
  async findByHash(tokenHash: string): Promise<TokenWithConnection | null> {
    const token = await this.rows.findOneBy({ tokenHash });
    if (!token) return null;
    const connection = await this.connections.findOneBy({ tenantId: token.tenantId, id: token.connectionId });
    return connection ? { token, connection } : null;
  }

  listSecretTokens(tenant: TenantId, connectionId: string): Promise<ApiTokenEntity[]> {
    return this.rows.find({
      where: { tenantId: tenant, connectionId, kind: 'secret' },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async revoke(tenant: TenantId, connectionId: string, tokenId: string, at: IsoTimestamp): Promise<ApiTokenEntity | null> {
    const token = await this.rows.findOneBy({ tenantId: tenant, connectionId, id: tokenId, revokedAt: IsNull() });
    if (!token) return null;
    await this.rows.update({ tenantId: tenant, id: tokenId }, { revokedAt: at });
    return token;
  }

  /** Records that a token of the connection was accepted at `at`. */
  async markConnectionUsed(connectionId: string, at: IsoTimestamp): Promise<void> {
    await this.connections.update({ id: connectionId }, { lastUsedAt: at });
  }

  /** Access tokens are useless once expired; deleting them keeps the table the size of the live set. */
  async deleteExpiredAccessTokens(before: IsoTimestamp): Promise<void> {
    await this.rows.delete({ kind: 'access', expiresAt: LessThan(before) });
  }
}
