import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import type { RosterHarness } from './roster-harness.js';
import { TEST_ADMIN_TOKEN } from './roster-harness.js';

export interface EventJson {
  id: string;
  type: string;
  tenantId: string;
  occurredAt: string;
  actor: { type: string; id: string };
  requestId: string;
  resource: { type: string; id: string; version: number | null };
  data: Record<string, unknown>;
}

export interface StreamPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** Every event of the tenant after `after`, walked page by page with nextCursor; returns them and the last cursor. */
export async function pullAll(roster: RosterHarness, tenantId: string, after?: string, limit = 50, types?: string): Promise<{ events: EventJson[]; cursor: string | null }> {
  const events: EventJson[] = [];
  let cursor: string | null = after ?? null;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === null ? {} : { after: cursor }), ...(types === undefined ? {} : { types }) });
    const page = await roster.http.get<StreamPage<EventJson>>(`/admin/tenants/${tenantId}/events?${query}`, { token: TEST_ADMIN_TOKEN });
    if (page.status !== 200) throw new Error(`events page: ${page.status} ${page.text}`);
    events.push(...page.body.data);
    if (page.body.data.length < limit) return { events, cursor: page.body.nextCursor };
    cursor = page.body.nextCursor;
  }
}

/** The rows of a table as text, for searching stored data for values that must never be there. */
export async function tableText(roster: RosterHarness, table: string): Promise<string> {
  const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
  return JSON.stringify(await dataSource.query(`SELECT * FROM ${table}`));
}

/** The (type, resource id) pairs of events, for compact assertions. */
export function typesAndResources(events: readonly EventJson[]): [string, string][] {
  return events.map((event) => [event.type, event.resource.id]);
}
