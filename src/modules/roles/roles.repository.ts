import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type EntityManager, type Repository } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { GroupEntity } from '../../database/entities/group.entity.js';
import { RoleEntity } from '../../database/entities/role.entity.js';
import { UniqueRoleHolderEntity } from '../../database/entities/unique-role-holder.entity.js';
import { UserRoleEntity } from '../../database/entities/user-role.entity.js';
import { UserEntity } from '../../database/entities/user.entity.js';
import { PreparedSql } from '../../database/prepared-sql.js';
import { inList, runSql } from '../../database/run-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { TenantSettings } from '../../domain/tenant-settings.js';

const CHUNK = 500;

/** The tenant's settings and its role catalog as `name_key` → `name`, read together (catalogWithSettings). */
export interface CatalogWithSettings {
  readonly settings: TenantSettings;
  readonly catalog: ReadonlyMap<string, string>;
}

/**
 * The tenant row (for its settings) and its roles in one prepared statement: what every SCIM
 * write checks against, read before its transaction. One round trip instead of two TypeORM
 * queries (issue 15: PostgreSQL writes are bound by their round trips). `settings` is stored as
 * simple-json text on both engines, as TenantEntity reads it.
 */
const CATALOG_WITH_SETTINGS = 'SELECT t.settings, r.name, r.name_key FROM tenants t LEFT JOIN roles r ON r.tenant_id = t.id WHERE t.id = $1';

/** The role catalog and who holds the tenant's unique roles; every method takes the tenant first. */
@Injectable()
export class RolesRepository {
  constructor(
    @InjectRepository(RoleEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<RoleEntity>,
    private readonly prepared: PreparedSql,
  ) {}

  /** The tenant's settings and role catalog, or null when the tenant does not exist. */
  async catalogWithSettings(tenant: TenantId): Promise<CatalogWithSettings | null> {
    const rows = await this.prepared.all<{ settings: string; name: string | null; name_key: string | null }>(CATALOG_WITH_SETTINGS, [tenant]);
    if (rows.length === 0) return null;
    const catalog = new Map<string, string>();
    for (const row of rows) if (row.name_key !== null && row.name !== null) catalog.set(row.name_key, row.name);
    return { settings: JSON.parse(rows[0].settings) as TenantSettings, catalog };
  }

  async insert(roles: RoleEntity[], manager?: EntityManager): Promise<void> {
    await (manager ? manager.getRepository(RoleEntity) : this.rows).insert(roles);
  }

  /** Inserts the role unless the catalog has it: two requests creating one role at once keep one (unique index). */
  async insertIfAbsent(role: RoleEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(RoleEntity).createQueryBuilder().insert().values(role).orIgnore().execute();
  }

  list(tenant: TenantId, manager: EntityManager = this.rows.manager): Promise<RoleEntity[]> {
    return manager.getRepository(RoleEntity).find({ where: { tenantId: tenant }, order: { isSystem: 'DESC', nameKey: 'ASC' } });
  }

  findById(tenant: TenantId, id: string): Promise<RoleEntity | null> {
    return this.rows.findOneBy({ tenantId: tenant, id });
  }

  async save(role: RoleEntity): Promise<void> {
    await this.rows.save(role);
  }

  /** How many live users hold the role directly, and how many groups grant it. */
  async countHolders(tenant: TenantId, roleKey: string): Promise<{ users: number; groups: number }> {
    return {
      users: await this.rows.manager.getRepository(UserRoleEntity).countBy({ tenantId: tenant, roleKey }),
      groups: await this.rows.manager.getRepository(GroupEntity).countBy({ tenantId: tenant, roleKey }),
    };
  }

  async delete(tenant: TenantId, id: string): Promise<void> {
    await this.rows.delete({ tenantId: tenant, id });
  }

  /**
   * Rewrites who holds the tenant's unique roles among `userIds`, inside the caller's transaction.
   * A user holds a role directly (`user_roles`) or through a group that grants it; only active,
   * live users hold unique roles. Each unique role has one row in `unique_role_holders`, whose
   * primary key (tenant, role) makes a second holder fail — the caller turns that into 409.
   */
  async refreshUniqueHolders(tenant: TenantId, userIds: readonly string[], uniqueKeys: ReadonlySet<string>, manager: EntityManager): Promise<void> {
    if (uniqueKeys.size === 0) return;
    for (let start = 0; start < userIds.length; start += CHUNK) {
      const chunk = userIds.slice(start, start + CHUNK);
      const params: Record<string, unknown> = { tenant };
      const ids = inList('u', chunk, params);
      // Through the entity, so TypeORM writes the boolean the way each engine stores it.
      const active = await manager
        .getRepository(UserEntity)
        .find({ select: { id: true }, where: { tenantId: tenant, id: In(chunk), active: true, deletedAt: IsNull() } });
      const held = await runSql<{ user_id: string; role_key: string }>(
        manager,
        `SELECT user_id, role_key FROM user_roles WHERE tenant_id = :tenant AND user_id IN (${ids})
         UNION
         SELECT m.member_id AS user_id, g.role_key FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.tenant_id = :tenant AND m.member_id IN (${ids})`,
        params,
      );
      await runSql(manager, `DELETE FROM unique_role_holders WHERE tenant_id = :tenant AND user_id IN (${ids})`, params);
      const activeIds = new Set(active.map((row) => row.id));
      await insertUniqueHolders(tenant, held.filter((row) => activeIds.has(row.user_id) && uniqueKeys.has(row.role_key)), manager);
    }
  }

  /**
   * refreshUniqueHolders for a user inserted in this same transaction: it holds exactly its direct
   * roles `held` (no group can name it yet) and no holder row names it, so its unique roles are
   * written without reading or deleting anything first.
   */
  async addUniqueHoldersOfNew(tenant: TenantId, userId: string, held: readonly string[], active: boolean, uniqueKeys: ReadonlySet<string>, manager: EntityManager): Promise<void> {
    if (!active) return;
    await insertUniqueHolders(tenant, held.filter((key) => uniqueKeys.has(key)).map((key) => ({ user_id: userId, role_key: key })), manager);
  }

  /** Each user's effective roles (direct ∪ its groups'), in the catalog's spelling; none for an inactive or deleted user. */
  async effectiveRoleNames(tenant: TenantId, userIds: readonly string[], manager: EntityManager = this.rows.manager): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    for (let start = 0; start < userIds.length; start += CHUNK) {
      const params: Record<string, unknown> = { tenant };
      const ids = inList('u', userIds.slice(start, start + CHUNK), params);
      // `active = TRUE`: better-sqlite3 binds no booleans; TRUE is 1 in SQLite and true in PostgreSQL.
      const rows = await runSql<{ user_id: string; role_name: string }>(
        manager,
        `SELECT e.user_id, COALESCE(r.name, e.role_key) AS role_name FROM (
           SELECT user_id, role_key FROM user_roles WHERE tenant_id = :tenant AND user_id IN (${ids})
           UNION
           SELECT m.member_id AS user_id, g.role_key FROM group_members m JOIN groups g ON g.id = m.group_id
           WHERE m.tenant_id = :tenant AND m.member_id IN (${ids})
         ) e JOIN users u ON u.id = e.user_id
         LEFT JOIN roles r ON r.tenant_id = :tenant AND r.name_key = e.role_key
         WHERE u.active = TRUE AND u.deleted_at IS NULL`,
        params,
      );
      for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.role_name]);
    }
    return byUser;
  }

  /** A deleted user holds no unique role any more. */
  async releaseUniqueRoles(tenant: TenantId, userId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(UniqueRoleHolderEntity).delete({ tenantId: tenant, userId });
  }
}

/** Through the query builder, so TypeORM writes the rows the way each engine takes them; a second holder of a role fails on the primary key. */
async function insertUniqueHolders(tenant: TenantId, rows: readonly { readonly user_id: string; readonly role_key: string }[], manager: EntityManager): Promise<void> {
  if (rows.length === 0) return;
  await manager
    .createQueryBuilder()
    .insert()
    .into('unique_role_holders', ['tenant_id', 'role_key', 'user_id'])
    .values(rows.map((row) => ({ tenant_id: tenant, role_key: row.role_key, user_id: row.user_id })))
    .execute();
}
