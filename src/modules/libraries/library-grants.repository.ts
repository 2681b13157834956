import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { insertRows } from '../../database/insert-rows.js';
import type { JsonRowsShape } from '../../database/query/json-rows.js';
import { inList, runSql } from '../../database/run-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** A library as a grant shows it. */
export interface LibraryRef {
  readonly id: string;
  readonly displayName: string;
}

/** Who holds grants: a user directly, or a group for its members. */
export type GrantHolder = 'user' | 'group';

const CHUNK = 500;
const TABLES: Record<GrantHolder, { readonly table: string; readonly column: string }> = {
  user: { table: 'user_library_grants', column: 'user_id' },
  group: { table: 'group_library_grants', column: 'group_id' },
};

/**
 * The holder's own grants as grantsOf reads them (same rows, same order), for the holder aliased
 * `r` in its own SELECT: `id` and `display_name` of each library.
 */
export function grantsInline(holder: GrantHolder): JsonRowsShape & { readonly from: string } {
  const { table, column } = TABLES[holder];
  return {
    columns: ['l.id', 'l.display_name'],
    from: `${table} g JOIN libraries l ON l.id = g.library_id WHERE g.tenant_id = r.tenant_id AND g.${column} = r.id`,
    orderBy: ['l.display_name_key', 'l.id'],
  };
}

// `active = TRUE` rather than a bound boolean: better-sqlite3 binds no booleans, and TRUE is 1 in
// SQLite (which stores booleans as 0/1) and the boolean true in PostgreSQL.

/**
 * `user_library_grants` and `group_library_grants`, keyed (tenant, library, holder). Every
 * statement is about given holders, so changing one holder's grants never reads a library's
 * other holders.
 */
@Injectable()
export class LibraryGrantsRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The libraries of the tenant whose id is one of `ids` or whose folded displayName is one of `keys`. */
  async findByIdsOrKeys(tenant: TenantId, ids: readonly string[], keys: readonly string[], manager: EntityManager): Promise<(LibraryRef & { key: string })[]> {
    if (ids.length === 0 && keys.length === 0) return [];
    const params: Record<string, unknown> = { tenant };
    const conditions = [
      ...(ids.length === 0 ? [] : [`id IN (${inList('i', ids, params)})`]),
      ...(keys.length === 0 ? [] : [`display_name_key IN (${inList('k', keys, params)})`]),
    ];
    const rows = await runSql<{ id: string; display_name: string; display_name_key: string }>(
      manager,
      `SELECT id, display_name, display_name_key FROM libraries WHERE tenant_id = :tenant AND (${conditions.join(' OR ')})`,
      params,
    );
    return rows.map((row) => ({ id: row.id, displayName: row.display_name, key: row.display_name_key }));
  }

  /** Each holder's own grants, by displayName. */
  // The same rows as grantsInline: keep the two in step.
  async grantsOf(holder: GrantHolder, tenant: TenantId, holderIds: readonly string[], manager?: EntityManager): Promise<Map<string, LibraryRef[]>> {
    const { table, column } = TABLES[holder];
    return this.byHolder(holderIds, (list) => `SELECT g.${column} AS holder, l.id, l.display_name FROM ${table} g JOIN libraries l ON l.id = g.library_id
       WHERE g.tenant_id = :tenant AND g.${column} IN (${list}) ORDER BY l.display_name_key, l.id`, tenant, manager);
  }

  /** Each user's effective libraries: its own grants ∪ its groups' grants; none for an inactive or deleted user. */
  async effectiveOf(tenant: TenantId, userIds: readonly string[], manager?: EntityManager): Promise<Map<string, LibraryRef[]>> {
    return this.byHolder(
      userIds,
      (list) => `SELECT e.holder, l.id, l.display_name FROM (
         SELECT user_id AS holder, library_id FROM user_library_grants WHERE tenant_id = :tenant AND user_id IN (${list})
         UNION
         SELECT m.member_id AS holder, g.library_id FROM group_members m JOIN group_library_grants g ON g.tenant_id = m.tenant_id AND g.group_id = m.group_id
         WHERE m.tenant_id = :tenant AND m.member_id IN (${list})
       ) e JOIN libraries l ON l.id = e.library_id JOIN users u ON u.id = e.holder
       WHERE u.active = TRUE AND u.deleted_at IS NULL ORDER BY l.display_name_key, l.id`,
      tenant,
      manager,
    );
  }

  /** Makes `libraryIds` the holder's grants: the ones it loses go, the new ones come, the rest stay. */
  async replaceGrants(holder: GrantHolder, tenant: TenantId, holderId: string, libraryIds: readonly string[], manager: EntityManager): Promise<void> {
    const { table, column } = TABLES[holder];
    const params: Record<string, unknown> = { tenant, holderId };
    const keep = libraryIds.length === 0 ? '' : ` AND library_id NOT IN (${inList('keep', libraryIds, params)})`;
    await runSql(manager, `DELETE FROM ${table} WHERE tenant_id = :tenant AND ${column} = :holderId${keep}`, params);
    await this.addGrants(holder, tenant, holderId, libraryIds, manager);
  }

  /** Grants `libraryIds` to the holder besides what it holds (those it holds already stay). */
  async addGrants(holder: GrantHolder, tenant: TenantId, holderId: string, libraryIds: readonly string[], manager: EntityManager): Promise<void> {
    if (libraryIds.length === 0) return;
    const { table, column } = TABLES[holder];
    const rows = libraryIds.map((libraryId) => [tenant, libraryId, holderId]);
    await insertRows(manager, table, ['tenant_id', 'library_id', column], rows, 'ON CONFLICT DO NOTHING');
  }

  /**
   * The live, active users who hold the library effectively (directly or through a group), for
   * a change that takes it from all of them.
   */
  async effectiveHolders(tenant: TenantId, libraryId: string, manager: EntityManager): Promise<string[]> {
    const rows = await runSql<{ id: string }>(
      manager,
      `SELECT u.id FROM users u WHERE u.tenant_id = :tenant AND u.deleted_at IS NULL AND u.active = TRUE AND u.id IN (
         SELECT user_id FROM user_library_grants WHERE tenant_id = :tenant AND library_id = :libraryId
         UNION
         SELECT m.member_id FROM group_library_grants g JOIN group_members m ON m.tenant_id = g.tenant_id AND m.group_id = g.group_id
         WHERE g.tenant_id = :tenant AND g.library_id = :libraryId)
       ORDER BY u.id`,
      { tenant, libraryId },
    );
    return rows.map((row) => row.id);
  }

  private async byHolder(
    holderIds: readonly string[],
    sql: (list: string) => string,
    tenant: TenantId,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, LibraryRef[]>> {
    const byHolder = new Map<string, LibraryRef[]>();
    for (let start = 0; start < holderIds.length; start += CHUNK) {
      const params: Record<string, unknown> = { tenant };
      const rows = await runSql<{ holder: string; id: string; display_name: string }>(manager, sql(inList('h', holderIds.slice(start, start + CHUNK), params)), params);
      for (const row of rows) {
        const refs = byHolder.get(row.holder) ?? [];
        refs.push({ id: row.id, displayName: row.display_name });
        byHolder.set(row.holder, refs);
      }
    }
    return byHolder;
  }
}
