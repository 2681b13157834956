import type { EntityManager } from 'typeorm';
import type { SqlReader } from '../prepared-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { runSql } from '../run-sql.js';
import type { ResourceTable } from './resource-table.js';

/**
 * A tenant's number of live resources of one table (the resource-counts migration), changed in
 * the transaction of the write that creates, restores or deletes one, so it is exact at every
 * commit. On PostgreSQL the counter row stays locked until that transaction ends: a tenant's
 * creates and deletes of a type commit one after the other, as they already do on the tenant's
 * stream position (src/modules/events/stream-positions.ts), taken just after this.
 */
export async function changeLiveCount(manager: EntityManager, table: ResourceTable, tenant: TenantId, delta: 1 | -1): Promise<void> {
  await runSql(
    manager,
    `INSERT INTO resource_counts (tenant_id, resource_table, live) VALUES (:tenant, :table, :delta)
     ON CONFLICT (tenant_id, resource_table) DO UPDATE SET live = resource_counts.live + :delta`,
    { tenant, table: table.table, delta },
  );
}

/** The tenant's live resources of the table: `totalResults` of an unfiltered list, one row read. */
export async function liveCount(reader: SqlReader, table: ResourceTable, tenant: TenantId): Promise<number> {
  const rows = await reader.allNamed<{ live: number | string }>('SELECT live FROM resource_counts WHERE tenant_id = :tenant AND resource_table = :table', {
    tenant,
    table: table.table,
  });
  return Number(rows[0]?.live ?? 0);
}

/**
 * Sets the tenant's counts from its rows, for writers that bypass the write path (the benchmark's
 * seeder loads rows through the entities). Same statement as the migration's back-fill.
 */
export async function recountLive(manager: EntityManager, tables: readonly ResourceTable[], tenant: TenantId): Promise<void> {
  for (const table of tables) {
    const live = table.softDeleted ? `${table.alias}.deleted_at IS NULL` : '1 = 1';
    const rows = await runSql<{ n: number | string }>(manager, `SELECT COUNT(*) AS n FROM ${table.table} ${table.alias} WHERE ${table.alias}.tenant_id = :tenant AND ${live}`, { tenant });
    await runSql(
      manager,
      `INSERT INTO resource_counts (tenant_id, resource_table, live) VALUES (:tenant, :table, :n)
       ON CONFLICT (tenant_id, resource_table) DO UPDATE SET live = :n`,
      { tenant, table: table.table, n: Number(rows[0]?.n ?? 0) },
    );
  }
}
