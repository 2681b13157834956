import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { insertRows } from '../../database/insert-rows.js';
import { runSql } from '../../database/run-sql.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { Actor } from '../../http/request-context.js';
import type { AuditEntry, AuditQuery } from './audit-entry.js';
import type { ConnectionActivity } from './connection-activity.js';
import type { StreamPosition } from './event.js';
import { type EventRow, toEvent } from './events.repository.js';
import { purgeOlderThan, reservePositions } from './stream-positions.js';

/** Where an audit reader is in each of the two streams it merges. */
export interface AuditPosition {
  readonly events: StreamPosition;
  readonly refusals: StreamPosition;
}

interface Positioned {
  readonly position: StreamPosition;
  readonly entry: AuditEntry;
}

export const REFUSED_TYPE = 'scim.write_refused';

/** The WHERE of either stream: the tenant, the position, and the filters both tables have columns for. */
function filtersOf(tenant: TenantId, query: Omit<AuditQuery, 'after'>, after: StreamPosition): { conditions: string[]; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { tenant, after };
  const conditions = ['tenant_id = :tenant', 'seq > :after'];
  const equal = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    params[column] = value;
    conditions.push(`${column} = :${column}`);
  };
  equal('resource_id', query.resourceId);
  equal('type', query.type);
  if (query.connectionId !== undefined) {
    params.actorId = query.connectionId;
    conditions.push(`actor_type = 'connection' AND actor_id = :actorId`);
  }
  if (query.since !== undefined) {
    params.since = query.since;
    conditions.push('occurred_at >= :since');
  }
  if (query.until !== undefined) {
    params.until = query.until;
    conditions.push('occurred_at < :until');
  }
  return { conditions, params };
}

interface AuditRow {
  readonly seq: number | string;
  readonly kind: 'event' | 'refused';
  readonly type: string;
  readonly occurred_at: string;
  readonly actor_type: Actor['type'];
  readonly actor_id: string;
  readonly request_id: string;
  readonly client_ip: string | null;
  readonly resource_type: string | null;
  readonly resource_id: string | null;
  readonly event_id: string | null;
  readonly status: number | string | null;
  readonly scim_type: string | null;
  readonly detail: string | null;
  readonly method: string | null;
  readonly path: string | null;
}

const COLUMNS = ['seq', 'tenant_id', 'occurred_at', 'kind', 'type', 'actor_type', 'actor_id', 'request_id', 'client_ip', 'resource_type', 'resource_id', 'event_id', 'status', 'scim_type', 'detail', 'method', 'path'];

/**
 * The audit log: the tenant's events (read from the events table, where each write's
 * transaction already put them) and its refused writes (kept here, each in a transaction of its
 * own, with positions of their own stream).
 */
@Injectable()
export class AuditRepository {
  constructor(
    @InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Refused writes, in a transaction of their own (or the caller's). */
  async insert(tenant: TenantId, entries: readonly AuditEntry[], manager?: EntityManager): Promise<void> {
    if (manager === undefined) {
      await this.transactions.run((own) => this.insert(tenant, entries, own));
      return;
    }
    const first = await reservePositions(manager, tenant, 'audit', entries.length);
    const rows = entries.map((entry, i) => [first + i, tenant, entry.occurredAt, entry.kind, entry.type, entry.actor.type, entry.actor.id, entry.requestId, entry.clientIp, entry.resource?.type ?? null, entry.resource?.id ?? null, entry.eventId ?? null, entry.status ?? null, entry.scimType ?? null, entry.detail ?? null, entry.method ?? null, entry.path ?? null]);
    await insertRows(manager, 'audit_entries', COLUMNS, rows);
  }

  /**
   * The tenant's entries after `after` that pass the filters: its events (from the events table)
   * and its refused writes, two streams each in its own commit order, merged by time. The cursor
   * holds a position in each, so a page never repeats or skips an entry of either.
   */
  async page(tenant: TenantId, query: AuditQuery): Promise<{ entries: AuditEntry[]; after: AuditPosition }> {
    const after = query.after ?? { events: 0, refusals: 0 };
    const [events, refusals] = await Promise.all([this.eventEntries(tenant, query, after.events), this.refusalEntries(tenant, query, after.refusals)]);
    const entries: AuditEntry[] = [];
    let [e, r] = [0, 0];
    const next = { ...after };
    while (entries.length < query.limit && (e < events.length || r < refusals.length)) {
      const event = events[e];
      const refusal = refusals[r];
      if (event !== undefined && (refusal === undefined || event.entry.occurredAt <= refusal.entry.occurredAt)) {
        entries.push(event.entry);
        next.events = event.position;
        e += 1;
      } else if (refusal !== undefined) {
        entries.push(refusal.entry);
        next.refusals = refusal.position;
        r += 1;
      }
    }
    return { entries, after: next };
  }

  private async eventEntries(tenant: TenantId, query: AuditQuery, after: StreamPosition): Promise<Positioned[]> {
    const { conditions, params } = filtersOf(tenant, query, after);
    const rows = await runSql<EventRow>(this.dataSource.manager, `SELECT * FROM events WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${Math.trunc(query.limit)}`, params);
    return rows.map((row) => {
      const event = toEvent(row);
      const entry: AuditEntry = { kind: 'event', type: event.type, occurredAt: event.occurredAt, actor: event.actor, requestId: event.requestId, clientIp: row.client_ip, resource: { type: event.resource.type, id: event.resource.id }, eventId: event.id };
      return { position: Number(row.seq), entry };
    });
  }

  /** Refusals have no resource: a resourceId filter, or a type other than theirs, leaves none. */
  private async refusalEntries(tenant: TenantId, query: AuditQuery, after: StreamPosition): Promise<Positioned[]> {
    if (query.resourceId !== undefined || (query.type !== undefined && query.type !== REFUSED_TYPE)) return [];
    const { conditions, params } = filtersOf(tenant, { ...query, type: undefined }, after);
    const rows = await runSql<AuditRow>(this.dataSource.manager, `SELECT * FROM audit_entries WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${Math.trunc(query.limit)}`, params);
    return rows.map((row) => ({ position: Number(row.seq), entry: toEntry(row) }));
  }

  /**
   * Each connection's writes since `since` (accepted: distinct requests that recorded events;
   * refused: refusals) and its last refusal ever, for the connections list.
   */
  async activityOf(tenant: TenantId, connectionIds: readonly string[], since: string): Promise<Map<string, ConnectionActivity>> {
    const activity = new Map<string, ConnectionActivity>();
    for (const connectionId of connectionIds) {
      const requestsIn = async (table: 'events' | 'audit_entries'): Promise<number> => {
        const rows = await runSql<{ n: number | string }>(
          this.dataSource.manager,
          `SELECT COUNT(DISTINCT request_id) AS n FROM ${table} WHERE tenant_id = :tenant AND actor_id = :connectionId AND actor_type = 'connection' AND occurred_at >= :since`,
          { tenant, connectionId, since },
        );
        return Number(rows[0]?.n ?? 0);
      };
      const last = await runSql<AuditRow>(
        this.dataSource.manager,
        `SELECT * FROM audit_entries WHERE tenant_id = :tenant AND actor_id = :connectionId AND kind = 'refused' ORDER BY seq DESC LIMIT 1`,
        { tenant, connectionId },
      );
      const refusal = last[0];
      activity.set(connectionId, {
        writes: { accepted: await requestsIn('events'), refused: await requestsIn('audit_entries') },
        lastRefused:
          refusal === undefined
            ? null
            : { at: refusal.occurred_at, status: Number(refusal.status), scimType: refusal.scim_type, detail: refusal.detail ?? '', method: refusal.method ?? '', path: refusal.path ?? '' },
      });
    }
    return activity;
  }

  /** Deletes up to `batch` rows of the tenant older than `cutoff`; how many it deleted. */
  purgeBefore(tenant: TenantId, cutoff: string, batch: number): Promise<number> {
    return purgeOlderThan(this.dataSource.manager, 'audit_entries', tenant, cutoff, batch);
  }

}

function toEntry(row: AuditRow): AuditEntry {
  return {
    kind: row.kind,
    type: row.type,
    occurredAt: row.occurred_at,
    actor: { type: row.actor_type, id: row.actor_id },
    requestId: row.request_id,
    clientIp: row.client_ip,
    resource: row.resource_type === null || row.resource_id === null ? null : { type: row.resource_type, id: row.resource_id },
    ...(row.event_id === null ? {} : { eventId: row.event_id }),
    ...(row.status === null ? {} : { status: Number(row.status) }),
    ...(row.scim_type === null ? {} : { scimType: row.scim_type }),
    ...(row.detail === null ? {} : { detail: row.detail }),
    ...(row.method === null ? {} : { method: row.method }),
    ...(row.path === null ? {} : { path: row.path }),
  };
}
