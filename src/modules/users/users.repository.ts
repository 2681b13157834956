import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Not, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { UniqueRoleHolderEntity } from '../../database/entities/unique-role-holder.entity.js';
import { UserRoleEntity } from '../../database/entities/user-role.entity.js';
import { UserEntity } from '../../database/entities/user.entity.js';
import { replaceIndexedValues } from '../../database/query/indexed-values-store.js';
import { listIds, type ListedIds } from '../../database/query/list-query.js';
import { USER_TABLE } from '../../database/query/resource-table.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { userIndexRows } from './user-index.js';
import { USER_RESOLVER } from './user-resource.js';

/** The columns a write sets; id, tenant and created stay. */
export type UserChanges = Pick<
  UserEntity,
  'userName' | 'userNameKey' | 'externalId' | 'displayName' | 'active' | 'data' | 'passwordHash' | 'lastModified'
>;

/** Every method takes the tenant first; soft-deleted users are invisible unless a name says otherwise. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<UserEntity>) {}

  findById(tenant: TenantId, id: string): Promise<UserEntity | null> {
    return this.rows.findOneBy({ tenantId: tenant, id, deletedAt: IsNull() });
  }

  /** One page of a tenant's live users, filtered and sorted in the database. */
  listIds(tenant: TenantId, request: ListRequest): Promise<ListedIds> {
    return listIds(this.rows.manager, USER_TABLE, tenant, request, USER_RESOLVER);
  }

  /** Live users by id, in the order of `ids`; any deleted meanwhile are left out. */
  async findManyByIds(tenant: TenantId, ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return [];
    const found = await this.rows.findBy({ tenantId: tenant, id: In([...ids]), deletedAt: IsNull() });
    const byId = new Map(found.map((user) => [user.id, user]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The live user, read inside a write's transaction and locked against other writers until it
   * ends (PostgreSQL row lock; SQLite's writers already run one at a time). FOR NO KEY UPDATE,
   * not FOR UPDATE: a membership insert's foreign-key check (FOR KEY SHARE) need not wait.
   */
  findForUpdate(tenant: TenantId, id: string, manager: EntityManager): Promise<UserEntity | null> {
    const isPostgres = manager.connection.options.type === 'postgres';
    return manager.getRepository(UserEntity).findOne({
      where: { tenantId: tenant, id, deletedAt: IsNull() },
      ...(isPostgres ? { lock: { mode: 'for_no_key_update' as const } } : {}),
    });
  }

  findByUserNameKeyIncludingDeleted(tenant: TenantId, key: string, manager: EntityManager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOneBy({ tenantId: tenant, userNameKey: key });
  }

  async insert(user: UserEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(UserEntity).insert(asColumns(user));
  }

  /**
   * Writes only if the row is still at `expectedVersion` (optimistic concurrency): returns
   * false when another write got there first, so no update is ever silently lost.
   */
  async updateIfVersion(tenant: TenantId, id: string, expectedVersion: number, changes: UserChanges, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .getRepository(UserEntity)
      .update({ tenantId: tenant, id, version: expectedVersion, deletedAt: IsNull() }, asColumns({ ...changes, version: expectedVersion + 1 }));
    return (result.affected ?? 0) > 0;
  }

  /** Brings a soft-deleted user back with new content; false if someone else restored it first. */
  async restore(tenant: TenantId, id: string, expectedVersion: number, changes: UserChanges, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .getRepository(UserEntity)
      .update({ tenantId: tenant, id, version: expectedVersion, deletedAt: Not(IsNull()) }, asColumns({ ...changes, deletedAt: null, version: expectedVersion + 1 }));
    return (result.affected ?? 0) > 0;
  }

  async softDelete(tenant: TenantId, id: string, expectedVersion: number, at: IsoTimestamp, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .getRepository(UserEntity)
      .update({ tenantId: tenant, id, version: expectedVersion, deletedAt: IsNull() }, { deletedAt: at, lastModified: at, version: expectedVersion + 1 });
    return (result.affected ?? 0) > 0;
  }

  /** Hard-deletes users soft-deleted before the cutoff; returns how many. */
  async purgeDeletedBefore(tenant: TenantId, cutoff: IsoTimestamp): Promise<number> {
    const result = await this.rows.delete({ tenantId: tenant, deletedAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  /** Rewrites the user's filter index rows from its stored document, in the write's transaction. */
  async writeIndex(tenant: TenantId, userId: string, data: ScimObject, manager: EntityManager): Promise<void> {
    await replaceIndexedValues(manager, 'user_values', tenant, userId, userIndexRows(data, userId));
  }

  /** A deleted user holds no unique role any more. */
  async releaseUniqueRoles(tenant: TenantId, userId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(UniqueRoleHolderEntity).delete({ tenantId: tenant, userId });
  }

  /** Records the roles a user holds directly (by catalog key); the catalog refuses to delete a role in use. */
  async setDirectRoles(tenant: TenantId, userId: string, held: readonly string[], manager: EntityManager): Promise<void> {
    const direct = manager.getRepository(UserRoleEntity);
    await direct.delete({ tenantId: tenant, userId });
    if (held.length > 0) await direct.insert(held.map((roleKey) => ({ tenantId: tenant, userId, roleKey })));
  }
}

/**
 * TypeORM's deep-partial type cannot see through `data` (an open JSON object stored as
 * simple-json), so the column values are handed over with this one cast.
 */
function asColumns(values: Partial<UserEntity>): QueryDeepPartialEntity<UserEntity> {
  return values as QueryDeepPartialEntity<UserEntity>;
}
