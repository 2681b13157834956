import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { TenantEntity } from '../../database/entities/tenant.entity.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** Tenants are the root of tenancy: the only table whose rows are not scoped by a tenant id. */
@Injectable()
export class TenantsRepository {
  constructor(@InjectRepository(TenantEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<TenantEntity>) {}

  async insert(tenant: TenantEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(TenantEntity).insert(tenant);
  }

  findById(id: TenantId): Promise<TenantEntity | null> {
    return this.rows.findOneBy({ id });
  }

  findBySlug(slug: string): Promise<TenantEntity | null> {
    return this.rows.findOneBy({ slug });
  }

  list(): Promise<TenantEntity[]> {
    return this.rows.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async save(tenant: TenantEntity): Promise<void> {
    await this.rows.save(tenant);
  }
}
