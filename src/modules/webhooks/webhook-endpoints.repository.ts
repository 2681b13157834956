import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { runSql } from '../../database/run-sql.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { WebhookEndpointView, WebhookTarget } from './webhook-endpoint.js';

export interface EndpointRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly url: string;
  readonly types: string;
  readonly description: string | null;
  readonly enabled: boolean | number;
  readonly disabled_reason: string | null;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly previous_secret_until: string | null;
  readonly fanned_out_seq: number | string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface NewEndpoint {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly url: string;
  readonly types: readonly string[];
  readonly description: string | null;
  readonly secret: string;
  readonly now: IsoTimestamp;
}

export interface EndpointChanges {
  readonly url?: string;
  readonly types?: readonly string[];
  readonly description?: string | null;
  readonly enabled?: boolean;
}

/** Webhook endpoints, always within their tenant. Booleans are written as SQL literals: better-sqlite3 binds no booleans. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** A new endpoint receives the events committed after it: it starts at the stream's committed end. */
  async insert(endpoint: NewEndpoint, manager: EntityManager): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO webhook_endpoints (id, tenant_id, url, types, description, enabled, disabled_reason, secret, previous_secret, previous_secret_until, fanned_out_seq, created_at, updated_at)
       VALUES (:id, :tenant, :url, :types, :description, TRUE, NULL, :secret, NULL, NULL,
               COALESCE((SELECT last_seq FROM stream_positions WHERE tenant_id = :streamTenant AND stream = 'events'), 0), :now, :now)`,
      { id: endpoint.id, tenant: endpoint.tenantId, streamTenant: endpoint.tenantId, url: endpoint.url, types: JSON.stringify(endpoint.types), description: endpoint.description, secret: endpoint.secret, now: endpoint.now },
    );
  }

  async list(tenant: TenantId): Promise<EndpointRow[]> {
    return runSql<EndpointRow>(this.dataSource.manager, `SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant ORDER BY created_at, id`, { tenant });
  }

  async find(tenant: TenantId, id: string, manager: EntityManager = this.dataSource.manager): Promise<EndpointRow | undefined> {
    const rows = await runSql<EndpointRow>(manager, `SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant AND id = :id`, { tenant, id });
    return rows[0];
  }

  /**
   * Applies the changes. Re-enabling moves the endpoint to the stream's committed end: the
   * events committed while it was disabled are not sent (the pull API has them), so a receiver
   * back after days is not flooded.
   */
  async update(tenant: TenantId, id: string, changes: EndpointChanges, now: IsoTimestamp, manager: EntityManager): Promise<void> {
    const sets = ['updated_at = :now'];
    const params: Record<string, unknown> = { tenant, id, now, streamTenant: tenant };
    if (changes.url !== undefined) {
      sets.push('url = :url');
      params.url = changes.url;
    }
    if (changes.types !== undefined) {
      sets.push('types = :types');
      params.types = JSON.stringify(changes.types);
    }
    if (changes.description !== undefined) {
      sets.push('description = :description');
      params.description = changes.description;
    }
    if (changes.enabled === true) {
      sets.push(
        'enabled = TRUE',
        'disabled_reason = NULL',
        `fanned_out_seq = CASE WHEN enabled THEN fanned_out_seq ELSE COALESCE((SELECT last_seq FROM stream_positions WHERE tenant_id = :streamTenant AND stream = 'events'), 0) END`,
      );
    }
    if (changes.enabled === false) sets.push('enabled = FALSE', `disabled_reason = 'disabled'`);
    await runSql(manager, `UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE tenant_id = :tenant AND id = :id`, params);
  }

  async delete(tenant: TenantId, id: string, manager: EntityManager): Promise<void> {
    await runSql(manager, `DELETE FROM webhook_endpoints WHERE tenant_id = :tenant AND id = :id`, { tenant, id });
  }

  /** The new secret signs from now on; the current one goes on signing until `previousUntil`. */
  async rotate(tenant: TenantId, id: string, secret: string, previousUntil: IsoTimestamp, now: IsoTimestamp, manager: EntityManager): Promise<void> {
    await runSql(
      manager,
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = :previousUntil, secret = :secret, updated_at = :now WHERE tenant_id = :tenant AND id = :id`,
      { tenant, id, secret, previousUntil, now },
    );
  }

  /** Roster's own disabling (a 410 from the receiver), for any replica to see. */
  async disable(id: string, reason: string, now: IsoTimestamp, manager: EntityManager): Promise<void> {
    await runSql(manager, `UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = :reason, updated_at = :now WHERE id = :id`, { id, reason, now });
  }

  /** What a dispatcher sends with; undefined when the endpoint is gone or disabled. */
  async target(id: string, now: IsoTimestamp): Promise<WebhookTarget | undefined> {
    const rows = await runSql<EndpointRow>(this.dataSource.manager, `SELECT * FROM webhook_endpoints WHERE id = :id AND enabled = TRUE`, { id });
    const row = rows[0];
    if (row === undefined) return undefined;
    const previous = row.previous_secret !== null && row.previous_secret_until !== null && row.previous_secret_until > now ? [row.previous_secret] : [];
    return { id: row.id, tenantId: row.tenant_id, url: row.url, secrets: [row.secret, ...previous] };
  }
}

export function toEndpointView(row: EndpointRow, now: IsoTimestamp): WebhookEndpointView {
  const previousLive = row.previous_secret_until !== null && row.previous_secret_until > now;
  return {
    id: row.id,
    url: row.url,
    types: JSON.parse(row.types) as string[],
    description: row.description,
    enabled: Boolean(row.enabled),
    disabledReason: row.disabled_reason,
    previousSecretExpiresAt: previousLive ? row.previous_secret_until : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
