import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { inList, runSql } from '../../database/run-sql.js';
import { insertRows } from '../../database/insert-rows.js';
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

/** The outbox: events written in the transaction of their change, read in commit order. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The tenant's events of one transaction, at its end: their positions lock the tenant's stream
   * until commit. `clientIp` is the audit log's (never in the event itself).
   */
  async insert(tenant: TenantId, events: readonly RosterEvent[], clientIp: string | null, manager: EntityManager): Promise<void> {
    const first = await reservePositions(manager, tenant, 'events', events.length);
    const rows = events.map((event, i) => [first + i, event.id, event.tenantId, event.type, event.occurredAt, event.actor.type, event.actor.id, event.requestId, event.resource.type, event.resource.id, event.resource.version, JSON.stringify(event.data), clientIp]);
    await insertRows(manager, 'events', EVENT_COLUMNS, rows);
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

  /** The tenant's events at these positions (a webhook claim's), by position; purged ones are absent. */
  async atPositions(tenant: TenantId, positions: readonly StreamPosition[]): Promise<Map<StreamPosition, RosterEvent>> {
    if (positions.length === 0) return new Map();
    const params: Record<string, unknown> = { tenant };
    const rows = await runSql<EventRow>(this.dataSource.manager, `SELECT * FROM events WHERE tenant_id = :tenant AND seq IN (${inList('p', positions, params)})`, params);
    return new Map(rows.map((row) => [Number(row.seq), toEvent(row)]));
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
