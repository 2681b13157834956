import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { inList, runSql } from '../../database/run-sql.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { Actor } from '../../http/request-context.js';
import type { AuditEntry, AuditQuery } from './audit-entry.js';
import type { ConnectionActivity } from './connection-activity.js';
import type { StreamPosition } from './event.js';
import { purgeOlderThan, reservePositions } from './stream-positions.js';

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
const ROWS_PER_INSERT = 500;

/** The audit log: in the change's transaction for events, on its own for refusals. Paged like events. */
@Injectable()
export class AuditRepository {
  constructor(
    @InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Entries at the end of the caller's transaction (events), or in one of their own (refusals). */
  async insert(tenant: TenantId, entries: readonly AuditEntry[], manager?: EntityManager): Promise<void> {
    if (manager === undefined) {
      await this.transactions.run((own) => this.insert(tenant, entries, own));
      return;
    }
    const first = await reservePositions(manager, tenant, 'audit', entries.length);
    for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
      const params: Record<string, unknown> = {};
      const values = entries.slice(start, start + ROWS_PER_INSERT).map((entry, i) => {
        const row = [first + start + i, tenant, entry.occurredAt, entry.kind, entry.type, entry.actor.type, entry.actor.id, entry.requestId, entry.clientIp, entry.resource?.type ?? null, entry.resource?.id ?? null, entry.eventId ?? null, entry.status ?? null, entry.scimType ?? null, entry.detail ?? null, entry.method ?? null, entry.path ?? null];
        return `(${inList(`a${i}_`, row, params)})`;
      });
      await runSql(manager, `INSERT INTO audit_entries (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}`, params);
    }
  }

  /** The tenant's entries after `after` that pass the filters, in (tx, id) order (see EventsRepository.page). */
  async page(tenant: TenantId, query: AuditQuery): Promise<(AuditEntry & { position: StreamPosition })[]> {
    const params: Record<string, unknown> = { tenant };
    const conditions = ['tenant_id = :tenant'];
    if (query.after !== undefined) {
      params.after = query.after;
      conditions.push('seq > :after');
    }
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
    const rows = await runSql<AuditRow>(this.dataSource.manager, `SELECT * FROM audit_entries WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${Math.trunc(query.limit)}`, params);
    return rows.map((row) => ({ ...toEntry(row), position: Number(row.seq) }));
  }

  /**
   * Each connection's writes since `since` (accepted: distinct requests that recorded events;
   * refused: refusals) and its last refusal ever, for the connections list.
   */
  async activityOf(tenant: TenantId, connectionIds: readonly string[], since: string): Promise<Map<string, ConnectionActivity>> {
    const activity = new Map<string, ConnectionActivity>();
    for (const connectionId of connectionIds) {
      const counts = await runSql<{ kind: string; n: number | string }>(
        this.dataSource.manager,
        `SELECT kind, COUNT(DISTINCT request_id) AS n FROM audit_entries
         WHERE tenant_id = :tenant AND actor_id = :connectionId AND actor_type = 'connection' AND occurred_at >= :since GROUP BY kind`,
        { tenant, connectionId, since },
      );
      const last = await runSql<AuditRow>(
        this.dataSource.manager,
        `SELECT * FROM audit_entries WHERE tenant_id = :tenant AND actor_id = :connectionId AND kind = 'refused' ORDER BY seq DESC LIMIT 1`,
        { tenant, connectionId },
      );
      const count = (kind: string): number => Number(counts.find((row) => row.kind === kind)?.n ?? 0);
      const refusal = last[0];
      activity.set(connectionId, {
        writes: { accepted: count('event'), refused: count('refused') },
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
