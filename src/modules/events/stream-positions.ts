import type { EntityManager } from 'typeorm';
import { inList, runSql } from '../../database/run-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';

/**
 * Reserves `count` positions of a tenant's stream (events, audit) inside the caller's
 * transaction: the tenant's row stays locked until that transaction ends, so positions are
 * handed out in commit order (see the events migration). Returns the first.
 */
export async function reservePositions(manager: EntityManager, tenant: TenantId, stream: 'events' | 'audit', count: number): Promise<number> {
  const rows = await runSql<{ last_seq: number | string }>(
    manager,
    `INSERT INTO stream_positions (tenant_id, stream, last_seq) VALUES (:tenant, :stream, :count)
     ON CONFLICT (tenant_id, stream) DO UPDATE SET last_seq = stream_positions.last_seq + :count
     RETURNING last_seq`,
    { tenant, stream, count },
  );
  return Number(rows[0].last_seq) - count + 1;
}

/** Deletes up to `batch` rows of a tenant's stream table older than `cutoff` (retention); how many it deleted. */
export async function purgeOlderThan(manager: EntityManager, table: 'events' | 'audit_entries', tenant: TenantId, cutoff: string, batch: number): Promise<number> {
  const rows = await runSql<{ seq: number | string }>(
    manager,
    `SELECT seq FROM ${table} WHERE tenant_id = :tenant AND occurred_at < :cutoff ORDER BY occurred_at LIMIT ${Math.trunc(batch)}`,
    { tenant, cutoff },
  );
  if (rows.length === 0) return 0;
  const params: Record<string, unknown> = { tenant };
  await runSql(manager, `DELETE FROM ${table} WHERE tenant_id = :tenant AND seq IN (${inList('seq', rows.map((row) => row.seq), params)})`, params);
  return rows.length;
}
