import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { DatabaseOptions } from '../src/config/roster-options.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';

/**
 * `count` events of one tenant straight into the outbox (not through writes: a million
 * user changes over HTTP would take the bench an hour), shaped like `user.updated` events,
 * with the tenant's stream position moved to the last one as the service leaves it.
 */
export async function seedEvents(database: DatabaseOptions, tenantId: string, count: number): Promise<void> {
  const dataSource = new DataSource(buildDataSourceOptions(database));
  await dataSource.initialize();
  try {
    const data = JSON.stringify({ changed: ['displayName', 'name'] });
    const resourceId = randomUUID();
    // Ids must be unique (ux_events_event_id); the tenant id's tail keeps two seeded tenants apart.
    const idPrefix = `${tenantId.slice(0, 23)}-`;
    const eventId = (n: string) => (database.kind === 'postgres' ? `'${idPrefix}' || lpad(${n}::text, 12, '0')` : `'${idPrefix}' || substr('000000000000' || ${n}, -12, 12)`);
    const rows = Math.trunc(count);
    const series = database.kind === 'postgres' ? `generate_series(1, ${rows}) AS s(n)` : `(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${rows}) SELECT n FROM s) AS s`;
    const sql = `INSERT INTO events (tenant_id, seq, event_id, type, occurred_at, actor_type, actor_id, request_id, resource_type, resource_id, resource_version, data)
      SELECT $1, n, ${eventId('n')}, 'user.updated', '2026-11-30T00:00:00.000Z', 'connection', 'bench', 'bench-request', 'User', $2, n, $3 FROM ${series}`;

    await dataSource.transaction(async (manager) => {
      await manager.query(database.kind === 'postgres' ? sql : sql.replace(/\$\d/g, '?'), [tenantId, resourceId, data]);
      await manager.query(
        database.kind === 'postgres'
          ? `INSERT INTO stream_positions (tenant_id, stream, last_seq) VALUES ($1, 'events', $2) ON CONFLICT (tenant_id, stream) DO UPDATE SET last_seq = excluded.last_seq`
          : `INSERT INTO stream_positions (tenant_id, stream, last_seq) VALUES (?, 'events', ?) ON CONFLICT (tenant_id, stream) DO UPDATE SET last_seq = excluded.last_seq`,
        [tenantId, count],
      );
    });
    if (database.kind === 'postgres') await dataSource.query('VACUUM ANALYZE events');
  } finally {
    await dataSource.destroy();
  }
}
