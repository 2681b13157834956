import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { LibraryEntity } from '../../database/entities/library.entity.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** What only libraries store; the rows every resource type shares are the resources module's. */
@Injectable()
export class LibrariesRepository {
  constructor(@InjectRepository(LibraryEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<LibraryEntity>) {}

  findById(tenant: TenantId, id: string): Promise<LibraryEntity | null> {
    return this.rows.findOneBy({ tenantId: tenant, id });
  }

  /** The tenant's libraries by displayName (the admin list; a catalog, not a paged resource list). */
  list(tenant: TenantId): Promise<LibraryEntity[]> {
    return this.rows.find({ where: { tenantId: tenant }, order: { displayNameKey: 'ASC', id: 'ASC' } });
  }

  async insert(library: LibraryEntity, manager: EntityManager): Promise<void> {
    // TypeORM's deep-partial type cannot see through `data` (an open JSON object), hence the cast.
    await manager.getRepository(LibraryEntity).insert(library as QueryDeepPartialEntity<LibraryEntity>);
  }

  /** Grants and index rows go with the library (foreign keys cascade). */
  async delete(tenant: TenantId, id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(LibraryEntity).delete({ tenantId: tenant, id });
  }
}
