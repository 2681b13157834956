import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { inList, runSql } from '../../database/run-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { RosterEvent, StreamPosition } from './event.js';
import { purgeOlderThan, reservePositions } from './stream-positions.js';

interface EventRow {
  readonly seq: number | string;
  readonly event_id: string;
  readonly tenant_id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly actor_type: string;
  readonly actor_id: string;
  readonly request_id: string;
  readonly resource_type: string;
  readonly resource_id: string;
  readonly resource_version: number | string | null;
  readonly data: string;
  readonly client_ip: string | null;
}

const EVENT_COLUMNS = ['seq', 'event_id', 'tenant_id', 'type', 'occurred_at', 'actor_type', 'actor_id', 'request_id', 'resource_type', 'resource_id', 'resource_version', 'data', 'client_ip'];
const ROWS_PER_INSERT = 500;

/** The outbox: events written in the transaction of their change, read in commit order. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The tenant's events of one transaction, at its end. On SQLite (one transaction at a time)
   * they take their positions at once; on PostgreSQL they wait in `pending_events` for the
   * sequencer, so that no tenant-wide row stays locked until commit (the pending-events
   * migration). `clientIp` is the audit log's, never in the event itself.
   */
  async insert(tenant: TenantId, events: readonly RosterEvent[], clientIp: string | null, manager: EntityManager): Promise<void> {
    const sequenced = !this.sequencesAfterCommit;
    const first = sequenced ? await reservePositions(manager, tenant, 'events', events.length) : 0;
    const columns = sequenced ? EVENT_COLUMNS : EVENT_COLUMNS.filter((column) => column !== 'seq');
    for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
      const params: Record<string, unknown> = {};
      const values = events.slice(start, start + ROWS_PER_INSERT).map((event, i) => {
        const row = [event.id, event.tenantId, event.type, event.occurredAt, event.actor.type, event.actor.id, event.requestId, event.resource.type, event.resource.id, event.resource.version, JSON.stringify(event.data), clientIp];
        return `(${inList(`e${i}_`, sequenced ? [first + start + i, ...row] : row, params)})`;
      });
      await runSql(manager, `INSERT INTO ${sequenced ? 'events' : 'pending_events'} (${columns.join(', ')}) VALUES ${values.join(', ')}`, params);
    }
  }

  /** Whether events wait in `pending_events` until the sequencer moves them (PostgreSQL). */
  get sequencesAfterCommit(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /**
   * Moves up to `batch` of the tenant's committed pending events into `events`, numbered after
   * the stream's end, while holding the tenant's stream row: one sequencer at a time per tenant.
   * The move is one statement (DELETE … RETURNING feeding the INSERT), so it sees one snapshot
   * and cannot drop an event that commits meanwhile. How many it moved.
   */
  async sequencePending(tenant: TenantId, batch: number, manager: EntityManager): Promise<number> {
    await runSql(manager, `INSERT INTO stream_positions (tenant_id, stream, last_seq) VALUES (:tenant, 'events', 0) ON CONFLICT (tenant_id, stream) DO NOTHING`, { tenant });
    const locked = await runSql<{ last_seq: number | string }>(manager, `SELECT last_seq FROM stream_positions WHERE tenant_id = :tenant AND stream = 'events' FOR UPDATE`, { tenant });
    const last = Number(locked[0]?.last_seq ?? 0);
    const moved = await runSql<{ seq: number | string }>(
      manager,
      `WITH moved AS (
         DELETE FROM pending_events WHERE id IN (SELECT id FROM pending_events WHERE tenant_id = :tenant ORDER BY id LIMIT ${Math.trunc(batch)})
         RETURNING *
       )
       INSERT INTO events (${EVENT_COLUMNS.join(', ')})
       SELECT :last + ROW_NUMBER() OVER (ORDER BY id), ${EVENT_COLUMNS.filter((column) => column !== 'seq').join(', ')} FROM moved
       RETURNING seq`,
      { tenant, last },
    );
    if (moved.length > 0) await runSql(manager, `UPDATE stream_positions SET last_seq = :end WHERE tenant_id = :tenant AND stream = 'events'`, { tenant, end: last + moved.length });
    return moved.length;
  }

  /** Tenants with events waiting for the sequencer (after a crash between commit and sequencing). */
  async tenantsWithPending(limit: number): Promise<TenantId[]> {
    const rows = await runSql<{ tenant_id: string }>(this.dataSource.manager, `SELECT DISTINCT tenant_id FROM pending_events LIMIT ${Math.trunc(limit)}`);
    return rows.map((row) => row.tenant_id as TenantId);
  }

  /** The tenant's events after `after`, in commit order. */
  async page(tenant: TenantId, after: StreamPosition | undefined, types: readonly string[], limit: number): Promise<(RosterEvent & { position: StreamPosition })[]> {
    const params: Record<string, unknown> = { tenant };
    const conditions = ['tenant_id = :tenant'];
    if (after !== undefined) {
      params.after = after;
      conditions.push('seq > :after');
    }
    if (types.length > 0) conditions.push(`type IN (${inList('type', types, params)})`);
    const rows = await runSql<EventRow>(
      this.dataSource.manager,
      `SELECT * FROM events WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${Math.trunc(limit)}`,
      params,
    );
    return rows.map((row) => ({ ...toEvent(row), position: Number(row.seq) }));
  }

  /** The positions, ids and types of the tenant's events in (after, through], oldest first: what webhook fan-out walks. */
  async positionsBetween(tenant: TenantId, after: StreamPosition, through: StreamPosition, limit: number, manager: EntityManager): Promise<{ position: StreamPosition; id: string; type: string }[]> {
    const rows = await runSql<{ seq: number | string; event_id: string; type: string }>(
      manager,
      `SELECT seq, event_id, type FROM events WHERE tenant_id = :tenant AND seq > :after AND seq <= :through ORDER BY seq LIMIT ${Math.trunc(limit)}`,
      { tenant, after, through },
    );
    return rows.map((row) => ({ position: Number(row.seq), id: row.event_id, type: row.type }));
  }

  /** One event by its position, or undefined once retention has purged it. */
  async at(tenant: TenantId, position: StreamPosition): Promise<RosterEvent | undefined> {
    const rows = await runSql<EventRow>(this.dataSource.manager, `SELECT * FROM events WHERE tenant_id = :tenant AND seq = :position`, { tenant, position });
    return rows[0] === undefined ? undefined : toEvent(rows[0]);
  }

  /** Deletes up to `batch` rows of the tenant older than `cutoff`; how many it deleted. */
  purgeBefore(tenant: TenantId, cutoff: string, batch: number): Promise<number> {
    return purgeOlderThan(this.dataSource.manager, 'events', tenant, cutoff, batch);
  }

}

export type { EventRow };

export function toEvent(row: EventRow): RosterEvent {
  return {
    id: row.event_id,
    type: row.type,
    tenantId: row.tenant_id,
    occurredAt: row.occurred_at,
    actor: { type: row.actor_type as RosterEvent['actor']['type'], id: row.actor_id },
    requestId: row.request_id,
    resource: { type: row.resource_type, id: row.resource_id, version: row.resource_version === null ? null : Number(row.resource_version) },
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
