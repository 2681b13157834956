import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { GroupEntity } from '../../database/entities/group.entity.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** What only groups store; the rows every resource type shares are the resources module's. */
@Injectable()
export class GroupsRepository {
  async insert(group: GroupEntity, manager: EntityManager): Promise<void> {
    // TypeORM's deep-partial type cannot see through `data` (an open JSON object), hence the cast.
    await manager.getRepository(GroupEntity).insert(group as QueryDeepPartialEntity<GroupEntity>);
  }

  /** Memberships and index rows go with the group (foreign keys cascade); users stay. */
  async delete(tenant: TenantId, id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(GroupEntity).delete({ tenantId: tenant, id });
  }
}
