import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { type AuditEntry, type AuditQuery, decodeAuditPosition, encodeAuditPosition } from './audit-entry.js';
import { AuditRepository } from './audit.repository.js';
import type { ConnectionActivity } from './connection-activity.js';
import { decodePosition, encodePosition, type RosterEvent, type StreamPosition } from './event.js';
import { EventsRepository } from './events.repository.js';

/** A page of a stream: the items and where to go on (the same cursor again when nothing new has committed). */
export interface StreamPage<T> {
  readonly data: T[];
  readonly nextCursor: string | null;
}

export interface AuditFilters extends Omit<AuditQuery, 'after' | 'limit'> {
  readonly after?: string;
  readonly limit?: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** The pull API (DESIGN.md "Events") and the audit log: cursor pages in commit order, per tenant. */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly audit: AuditRepository,
    private readonly tenants: TenantsService,
  ) {}

  async page(tenant: TenantId, after: string | undefined, types: readonly string[], limit = DEFAULT_LIMIT): Promise<StreamPage<RosterEvent>> {
    let position: StreamPosition | undefined;
    let checked: number;
    try {
      position = positionOf(after);
      checked = checkedLimit(limit);
    } catch (error) {
      // An unknown tenant is a 404 before a bad cursor or limit is a 400.
      await this.tenants.require(tenant);
      throw error;
    }
    const rows = await this.events.page(tenant, position, types, checked);
    // An event row names its tenant (a foreign key), so only an empty page needs to ask whether
    // the tenant exists: the platform's polling reads one statement a page, not two.
    if (rows.length === 0) await this.tenants.require(tenant);
    return { data: rows.map(({ position: _position, ...event }) => event), nextCursor: cursorAfter(rows, after) };
  }

  /** The positions, ids and types of committed events in (after, through], in `manager`'s transaction: what webhook fan-out walks. */
  positionsBetween(tenant: TenantId, after: StreamPosition, through: StreamPosition, limit: number, manager: EntityManager): Promise<{ position: StreamPosition; id: string; type: string }[]> {
    return this.events.positionsBetween(tenant, after, through, limit, manager);
  }

  /** The tenant's events at these positions, by position; one purged by retention is absent. */
  atPositions(tenant: TenantId, positions: readonly StreamPosition[]): Promise<Map<StreamPosition, RosterEvent>> {
    return this.events.atPositions(tenant, positions);
  }

  activityOf(tenant: TenantId, connectionIds: readonly string[], now = new Date()): Promise<Map<string, ConnectionActivity>> {
    return this.audit.activityOf(tenant, connectionIds, new Date(now.getTime() - ACTIVITY_WINDOW_MS).toISOString());
  }

  /** Audit pages have a cursor of their own: a place in the events and one in the refusals (AuditRepository.page). */
  async auditPage(tenant: TenantId, filters: AuditFilters): Promise<StreamPage<AuditEntry>> {
    await this.tenants.require(tenant);
    const { after, limit, ...rest } = filters;
    const position = after === undefined || after === '' ? undefined : decodeAuditPosition(after);
    if (after !== undefined && after !== '' && position === undefined) throw ScimError.invalidValue(`"after" is not a cursor this service handed out.`);
    const page = await this.audit.page(tenant, { ...rest, ...(position === undefined ? {} : { after: position }), limit: checkedLimit(limit ?? DEFAULT_LIMIT) });
    const moved = page.entries.length > 0;
    return { data: page.entries, nextCursor: moved ? encodeAuditPosition(page.after) : after === undefined || after === '' ? null : after };
  }
}

/** Each connection's writes of the last 24 hours and its last refusal (DESIGN.md: per-connection health). */
export const ACTIVITY_WINDOW_MS = 24 * 60 * 60 * 1000;

function positionOf(cursor: string | undefined): StreamPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const position = decodePosition(cursor);
  if (position === undefined) throw ScimError.invalidValue(`"after" is not a cursor this service handed out.`);
  return position;
}

function checkedLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw ScimError.invalidValue(`"limit" must be a whole number from 1 to ${MAX_LIMIT}.`);
  return limit;
}

/** The last item's position; with nothing new, the cursor the client sent, so polling with it stays put. */
function cursorAfter(rows: readonly { readonly position: StreamPosition }[], after: string | undefined): string | null {
  const last = rows[rows.length - 1];
  if (last !== undefined) return encodePosition(last.position);
  return after === undefined || after === '' ? null : after;
}
