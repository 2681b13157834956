import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { insertRows } from '../../database/insert-rows.js';
import { inList, runSql, runSqlChanging } from '../../database/run-sql.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { AttemptResult, DeliveryStatus, LeasedDelivery, WebhookDeliveryView } from './webhook-delivery.js';

interface DeliveryRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly endpoint_id: string;
  readonly event_seq: number | string;
  readonly event_id: string;
  readonly event_type: string;
  readonly status: DeliveryStatus;
  readonly attempts: number | string;
  readonly step: number | string;
  readonly next_attempt_at: string | null;
  readonly last_attempt_at: string | null;
  readonly last_status: number | string | null;
  readonly last_error: string | null;
  readonly created_at: string;
}

/** An endpoint with events to fan out: its stream is ahead of it. */
export interface FanOutCandidate {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly types: readonly string[];
  readonly fannedOutThrough: number;
  readonly streamEnd: number;
  /** Its deliveries still pending, counted in the same statement (the fan-out's window). */
  readonly pending: number;
}

export interface NewDelivery {
  readonly id: string;
  readonly tenantId: string;
  readonly endpointId: string;
  readonly eventPosition: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly now: IsoTimestamp;
}

export interface ClaimRequest {
  readonly owner: string;
  readonly now: IsoTimestamp;
  readonly leaseUntil: IsoTimestamp;
  readonly limit: number;
  readonly perEndpoint: number;
  /** Attempts this replica has in flight, by endpoint: an endpoint is given only what is left of its share. */
  readonly inFlight: ReadonlyMap<string, number>;
}

const DELIVERY_COLUMNS = ['id', 'tenant_id', 'endpoint_id', 'event_seq', 'event_id', 'event_type', 'status', 'attempts', 'step', 'next_attempt_at', 'created_at'];

/** Webhook deliveries: fan-out, leases, attempts' outcomes and the history per endpoint. */
/** What a dispatcher pass has to do (WebhookDeliveriesRepository.dueWork). */
export interface DueWork {
  /** Some enabled endpoint is behind its tenant's stream. */
  readonly fanOut: boolean;
  /** Some pending delivery's next attempt is due. */
  readonly deliveries: boolean;
}

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /**
   * Enabled endpoints behind their tenant's committed stream end, locked for this transaction.
   * On PostgreSQL `SKIP LOCKED` leaves an endpoint another replica is fanning out to that one;
   * `stream_positions.last_seq` as read here is the last committed position, and every position
   * up to it is committed (the events migration).
   */
  async fanOutCandidates(limit: number, manager: EntityManager): Promise<FanOutCandidate[]> {
    const rows = await runSql<{ id: string; tenant_id: string; types: string; fanned_out_seq: number | string; last_seq: number | string; pending: number | string }>(
      manager,
      `SELECT e.id, e.tenant_id, e.types, e.fanned_out_seq, p.last_seq,
              (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS pending
       FROM webhook_endpoints e
       JOIN stream_positions p ON p.tenant_id = e.tenant_id AND p.stream = 'events'
       WHERE e.enabled = TRUE AND p.last_seq > e.fanned_out_seq
       ORDER BY e.id LIMIT ${Math.trunc(limit)}${this.postgres ? ' FOR UPDATE OF e SKIP LOCKED' : ''}`,
    );
    return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id as TenantId, types: JSON.parse(row.types) as string[], fannedOutThrough: Number(row.fanned_out_seq), streamEnd: Number(row.last_seq), pending: Number(row.pending) }));
  }

  /**
   * Whether any endpoint is behind its stream, and whether any delivery is due (a lease may still
   * hold it): one plain read, so that an idle replica's pass opens no transaction, and a busy one's
   * pass costs one round trip before it fans out or claims, not two (issue 15: every commit and
   * every finished attempt starts a pass).
   */
  async dueWork(now: IsoTimestamp): Promise<DueWork> {
    const rows = await runSql<{ fan_out: number | string; deliveries: number | string }>(
      this.dataSource.manager,
      `SELECT
         CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints e JOIN stream_positions p ON p.tenant_id = e.tenant_id AND p.stream = 'events'
                           WHERE e.enabled = TRUE AND p.last_seq > e.fanned_out_seq) THEN 1 ELSE 0 END AS fan_out,
         CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= :now) THEN 1 ELSE 0 END AS deliveries`,
      { now },
    );
    return { fanOut: Number(rows[0]?.fan_out) === 1, deliveries: Number(rows[0]?.deliveries) === 1 };
  }

  async insert(deliveries: readonly NewDelivery[], manager: EntityManager): Promise<void> {
    const rows = deliveries.map((delivery) => [delivery.id, delivery.tenantId, delivery.endpointId, delivery.eventPosition, delivery.eventId, delivery.eventType, 'pending', 0, 0, delivery.now, delivery.now]);
    await insertRows(manager, 'webhook_deliveries', DELIVERY_COLUMNS, rows);
  }

  async advance(endpointId: string, through: number, manager: EntityManager): Promise<void> {
    await runSql(manager, `UPDATE webhook_endpoints SET fanned_out_seq = :through WHERE id = :endpointId AND fanned_out_seq < :through`, { endpointId, through });
  }

  /**
   * Leases due deliveries to `owner` until `leaseUntil`: at most `perEndpoint` of one endpoint,
   * so that one slow endpoint cannot take every slot, and none another replica holds (an
   * unexpired lease, or on PostgreSQL a row another claim is locking: `SKIP LOCKED`).
   */
  async claim(request: ClaimRequest, manager: EntityManager): Promise<LeasedDelivery[]> {
    const params: Record<string, unknown> = { owner: request.owner, now: request.now, leaseUntil: request.leaseUntil, perEndpoint: request.perEndpoint };
    const due = `status = 'pending' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)`;
    const busy = [...request.inFlight].filter(([, count]) => count >= request.perEndpoint).map(([id]) => id);
    const notBusy = busy.length === 0 ? '' : ` AND endpoint_id NOT IN (${inList('busy', busy, params)})`;
    const share = shareSql(request, params);
    const { records } = await runSqlChanging<{ id: string; tenant_id: string; endpoint_id: string; event_seq: number | string; step: number | string }>(
      manager,
      `UPDATE webhook_deliveries SET lease_owner = :owner, lease_until = :leaseUntil
       WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE ${due} AND id IN (
           SELECT id FROM (
             SELECT id, endpoint_id, next_attempt_at, ROW_NUMBER() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, event_seq) AS place
             FROM webhook_deliveries WHERE ${due}${notBusy}
           ) ranked WHERE place <= ${share} ORDER BY next_attempt_at LIMIT ${Math.trunc(request.limit)}
         )${this.postgres ? ' FOR UPDATE SKIP LOCKED' : ''}
       )
       RETURNING id, tenant_id, endpoint_id, event_seq, step`,
      params,
    );
    return records.map((row) => ({ id: row.id, tenantId: row.tenant_id, endpointId: row.endpoint_id, eventPosition: Number(row.event_seq), step: Number(row.step) }));
  }

  /** Records an attempt's outcome, if `owner` still holds the lease and the delivery was not cancelled meanwhile. */
  async complete(id: string, owner: string, result: AttemptResult, now: IsoTimestamp, manager: EntityManager): Promise<boolean> {
    const status: DeliveryStatus = result.kind === 'retry' ? 'pending' : result.kind;
    const { affected } = await runSqlChanging(
      manager,
      `UPDATE webhook_deliveries SET status = :status, attempts = attempts + 1, step = step + :stepped, next_attempt_at = :next,
         last_attempt_at = :now, last_status = :lastStatus, last_error = :lastError, lease_owner = NULL, lease_until = NULL
       WHERE id = :id AND lease_owner = :owner AND status = 'pending'`,
      {
        id,
        owner,
        now,
        status,
        stepped: result.kind === 'retry' ? 1 : 0,
        next: result.kind === 'retry' ? result.nextAttemptAt : null,
        lastStatus: result.status,
        lastError: result.kind === 'succeeded' ? null : result.error,
      },
    );
    return affected > 0;
  }

  /** Gives leases back unattempted (a replica stopping), so another replica takes them at once. */
  async release(owner: string, ids: readonly string[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    const params: Record<string, unknown> = { owner };
    await runSql(manager, `UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = :owner AND id IN (${inList('id', ids, params)})`, params);
  }

  /** A disabled endpoint's pending deliveries are cancelled; a manual retry can still send one. */
  async cancelPending(endpointId: string, manager: EntityManager): Promise<void> {
    await runSql(manager, `UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL WHERE endpoint_id = :endpointId AND status = 'pending'`, { endpointId });
  }

  /** The endpoint's deliveries, newest event first, before `before` (a position) when paging on. */
  async history(tenant: TenantId, endpointId: string, before: number | undefined, limit: number): Promise<(WebhookDeliveryView & { position: number })[]> {
    const params: Record<string, unknown> = { tenant, endpointId };
    const older = before === undefined ? '' : ' AND event_seq < :before';
    if (before !== undefined) params.before = before;
    const rows = await runSql<DeliveryRow>(
      this.dataSource.manager,
      `SELECT * FROM webhook_deliveries WHERE tenant_id = :tenant AND endpoint_id = :endpointId${older} ORDER BY event_seq DESC LIMIT ${Math.trunc(limit)}`,
      params,
    );
    return rows.map((row) => ({ ...toView(row), position: Number(row.event_seq) }));
  }

  async find(tenant: TenantId, endpointId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<WebhookDeliveryView | undefined> {
    const rows = await runSql<DeliveryRow>(manager, `SELECT * FROM webhook_deliveries WHERE tenant_id = :tenant AND endpoint_id = :endpointId AND id = :id`, { tenant, endpointId, id });
    return rows[0] === undefined ? undefined : toView(rows[0]);
  }

  /** A manual retry: pending again, due now, from the start of the schedule; a lease in force stays (that attempt is under way). */
  async requeue(tenant: TenantId, endpointId: string, id: string, now: IsoTimestamp, manager: EntityManager): Promise<void> {
    await runSql(
      manager,
      `UPDATE webhook_deliveries SET status = 'pending', step = 0, next_attempt_at = :now WHERE tenant_id = :tenant AND endpoint_id = :endpointId AND id = :id`,
      { tenant, endpointId, id, now },
    );
  }

  /** Pending deliveries across all tenants: the backlog metric. */
  async pendingTotal(): Promise<number> {
    const rows = await runSql<{ n: number | string }>(this.dataSource.manager, `SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'`);
    return Number(rows[0]?.n ?? 0);
  }
}

function toView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    createdAt: row.created_at,
  };
}

/**
 * How many due deliveries of each endpoint a claim may lease: the share less what this replica
 * already has in flight there. Without the second part an endpoint with some attempts under way
 * was given a whole share more at each pass (20 at once to one endpoint with a share of 16).
 * Bound as integers: PostgreSQL cannot infer a type for parameters that meet only in a CASE.
 */
function shareSql(request: ClaimRequest, params: Record<string, unknown>): string {
  const partly = [...request.inFlight].filter(([, count]) => count > 0 && count < request.perEndpoint);
  if (partly.length === 0) return 'CAST(:perEndpoint AS INTEGER)';
  const cases = partly.map(([id, count], i) => {
    params[`partly${i}`] = id;
    params[`left${i}`] = request.perEndpoint - count;
    return `WHEN :partly${i} THEN CAST(:left${i} AS INTEGER)`;
  });
  return `CASE endpoint_id ${cases.join(' ')} ELSE CAST(:perEndpoint AS INTEGER) END`;
}
