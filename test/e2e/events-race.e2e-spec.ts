import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { describeOnPostgres } from '../support/databases.js';
import { type EventJson, type StreamPage } from '../support/events.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { usersApi } from '../support/scim-users.js';

const WRITERS = 6;
const USERS_PER_WRITER = 15;
const PAGE = 7;

// Only PostgreSQL runs transactions side by side, so only there can they commit out of order.
describeOnPostgres('The events pull API under concurrent commits on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind, { rateLimits: { readPerSecond: 100_000, writePerSecond: 100_000 } });
  });
  afterAll(() => roster.close());

  it('gives a pager racing concurrent writers every event exactly once, in the order the database holds them', async () => {
    const connection = await createTenantWithConnection(roster.http);
    const users = usersApi(roster, await requestAccessToken(roster.http, connection));
    const seen: EventJson[] = [];
    let cursor: string | null = null;
    const pageOnce = async (): Promise<number> => {
      const query = new URLSearchParams({ limit: String(PAGE), ...(cursor === null ? {} : { after: cursor }) });
      const page = await roster.http.get<StreamPage<EventJson>>(`/admin/tenants/${connection.tenantId}/events?${query}`, { token: TEST_ADMIN_TOKEN });
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
      return page.body.data.length;
    };
    let writing = true;
    const pager = (async () => {
      while (writing) await pageOnce();
    })();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < USERS_PER_WRITER; i++) {
          const created = await users.create({ userName: `racer-${writer}-${i}@example.com`, roles: i % 2 === 0 ? ['guest'] : [] });
          expect(created.status).toBe(201);
        }
      }),
    );
    writing = false;
    await pager;
    while ((await pageOnce()) === PAGE);

    const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
    const stored = (await dataSource.query('SELECT seq, event_id FROM events WHERE tenant_id = $1 ORDER BY seq', [connection.tenantId])) as { seq: string; event_id: string }[];
    // connection.created, then user.created for each user and user.access_changed for each one created with a role.
    const withRole = WRITERS * Math.ceil(USERS_PER_WRITER / 2);
    expect(stored.length).toBe(1 + WRITERS * USERS_PER_WRITER + withRole);
    expect(stored.map((row) => Number(row.seq))).toEqual(stored.map((_, i) => i + 1));
    expect(seen.map((event) => event.id)).toEqual(stored.map((row) => row.event_id));
  });
});
