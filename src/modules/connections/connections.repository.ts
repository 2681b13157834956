import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { ApiConnectionEntity } from '../../database/entities/api-connection.entity.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';

@Injectable()
export class ConnectionsRepository {
  constructor(
    @InjectRepository(ApiConnectionEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<ApiConnectionEntity>,
  ) {}

  async insert(connection: ApiConnectionEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ApiConnectionEntity).insert(connection);
  }

  list(tenant: TenantId): Promise<ApiConnectionEntity[]> {
    return this.rows.find({ where: { tenantId: tenant }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(tenant: TenantId, id: string): Promise<ApiConnectionEntity | null> {
    return this.rows.findOneBy({ tenantId: tenant, id });
  }

  /** Returns whether a live connection was revoked now. */
  async revoke(tenant: TenantId, id: string, at: IsoTimestamp, manager: EntityManager): Promise<boolean> {
    const result = await manager.getRepository(ApiConnectionEntity).update({ tenantId: tenant, id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Token requests name a client id, not a tenant: client ids are globally unique, and this is
   * one of the two look-ups (with the token look-up) through which a request finds its tenant.
   */
  findActiveByClientId(clientId: string): Promise<ApiConnectionEntity | null> {
    return this.rows.findOneBy({ clientId, revokedAt: IsNull() });
  }
}
