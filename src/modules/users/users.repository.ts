import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Not, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { UserRoleEntity } from '../../database/entities/user-role.entity.js';
import { UserEntity } from '../../database/entities/user.entity.js';
import { EntityRows } from '../../database/entity-rows.js';
import { runSql, runSqlChanging } from '../../database/run-sql.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** The columns a write sets; id, tenant and created stay. */
export type UserChanges = Pick<
  UserEntity,
  'userName' | 'userNameKey' | 'externalId' | 'displayName' | 'active' | 'data' | 'passwordHash' | 'lastModified'
>;

/**
 * What only users store: soft delete and restore, the userName key, direct roles. Every method
 * takes the tenant first; soft-deleted users are invisible unless a name says otherwise.
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<UserEntity>) {}

  /** The user holding the key, live or soft-deleted (the unique index spans both): what a create checks first, by hand-written SQL (EntityRows). */
  async findByUserNameKeyIncludingDeleted(tenant: TenantId, key: string, manager: EntityManager): Promise<UserEntity | null> {
    const entityRows = new EntityRows<UserEntity>(manager, UserEntity);
    const rows = await runSql(manager, `SELECT ${entityRows.selectList()} FROM users WHERE tenant_id = :tenant AND user_name_key = :key`, { tenant, key });
    return rows.length === 0 ? null : entityRows.hydrate(rows[0]);
  }

  /**
   * Inserts the user unless its tenant has a user (live or soft-deleted) with its userName key:
   * false then, and nothing written. One statement where a look-up first and an insert after were
   * two round trips on every create (issue 15); a create racing this one for the key waits for it
   * on the unique index (PostgreSQL) or the one connection (SQLite), then finds its row.
   */
  async insertUnlessUserNameTaken(user: UserEntity, manager: EntityManager): Promise<boolean> {
    const params: Record<string, unknown> = {};
    const insertion = new EntityRows<UserEntity>(manager, UserEntity).insertion({ ...user }, params, 'value');
    const { records } = await runSqlChanging<{ id: string }>(manager, `${insertion} ON CONFLICT (tenant_id, user_name_key) DO NOTHING RETURNING id`, params);
    return records.length > 0;
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

  /** Up to `limit` users soft-deleted before the cutoff, locked for this transaction: the next purge batch. */
  async deletedBefore(tenant: TenantId, cutoff: IsoTimestamp, limit: number, manager: EntityManager): Promise<{ id: string; version: number }[]> {
    const rows = await manager.getRepository(UserEntity).find({
      select: { id: true, version: true },
      where: { tenantId: tenant, deletedAt: LessThan(cutoff) },
      order: { id: 'ASC' },
      take: limit,
      ...(manager.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return rows.map((row) => ({ id: row.id, version: row.version }));
  }

  /** Hard-deletes these soft-deleted users (their groups, grants and index rows go by cascade); how many went. */
  async purge(tenant: TenantId, ids: readonly string[], manager: EntityManager): Promise<number> {
    const result = await manager.getRepository(UserEntity).delete({ tenantId: tenant, id: In([...ids]), deletedAt: Not(IsNull()) });
    return result.affected ?? 0;
  }

  /** Records the roles a user holds directly (by catalog key); the catalog refuses to delete a role in use. */
  async setDirectRoles(tenant: TenantId, userId: string, held: readonly string[], manager: EntityManager): Promise<void> {
    await manager.getRepository(UserRoleEntity).delete({ tenantId: tenant, userId });
    await this.addDirectRoles(tenant, userId, held, manager);
  }

  /**
   * setDirectRoles for a user inserted in this same transaction: no row can name it yet (its
   * foreign key waits for the user's row), so there is nothing to delete first.
   */
  async addDirectRoles(tenant: TenantId, userId: string, held: readonly string[], manager: EntityManager): Promise<void> {
    if (held.length > 0) await manager.getRepository(UserRoleEntity).insert(held.map((roleKey) => ({ tenantId: tenant, userId, roleKey })));
  }
}

/**
 * TypeORM's deep-partial type cannot see through `data` (an open JSON object stored as
 * simple-json), so the column values are handed over with this one cast.
 */
function asColumns(values: Partial<UserEntity>): QueryDeepPartialEntity<UserEntity> {
  return values as QueryDeepPartialEntity<UserEntity>;
}
