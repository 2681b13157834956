import { rosterDataSource } from '../support/captured-sql.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { newBulkTenant, postUser, type BulkTenant } from '../support/scim-bulk.js';
import { expectStatus, librariesAdmin, type LibrariesAdmin, pause } from '../support/scim-libraries.js';

const WORKERS = 3;
const ROUNDS = 6;
const LIVE = { Users: 'users WHERE deleted_at IS NULL AND', Groups: 'groups WHERE', Libraries: 'libraries WHERE' } as const;
type ListedType = keyof typeof LIVE;

describe.each(databaseKinds())('totalResults of unfiltered lists from the counts the write path keeps, on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind, { rateLimits: { readPerSecond: 100_000, writePerSecond: 100_000 } });
  });
  afterAll(() => roster.close());

  /** totalResults of an unfiltered list, by index and by cursor, and the live rows there really are. */
  const totals = async (tenant: BulkTenant, type: ListedType): Promise<{ index: number; cursor: number; stored: number }> => {
    const [index, cursor] = await Promise.all(
      ['count=1', 'count=1&cursor='].map(async (query) => {
        const listed = await roster.http.get<{ totalResults: number }>(`/scim/v2/${type}?${query}`, { token: tenant.token });
        expectStatus(listed, 200);
        return listed.body.totalResults;
      }),
    );
    const placeholder = kind === 'postgres' ? '$1' : '?';
    const rows = (await rosterDataSource(roster).query(`SELECT COUNT(*) AS n FROM ${LIVE[type]} tenant_id = ${placeholder}`, [tenant.tenantId])) as { n: number | string }[];
    return { index, cursor, stored: Number(rows[0].n) };
  };

  const expectExactTotals = async (tenant: BulkTenant): Promise<void> => {
    for (const type of Object.keys(LIVE) as ListedType[]) {
      const { index, cursor, stored } = await totals(tenant, type);
      expect({ type, index, cursor }).toEqual({ type, index: stored, cursor: stored });
    }
  };

  const userName = (tenant: BulkTenant, label: string): string => `${label}@${tenant.tenantId.slice(0, 8)}.example.com`;

  /** Creates, deletes, restores (a POST with a deleted user's userName), Bulk writes, group and library writes, and purges, all at once. */
  const race = async (tenant: BulkTenant, libraries: LibrariesAdmin): Promise<void> => {
    let racing = true;
    const purger = (async () => {
      while (racing) {
        const purged = await roster.http.post(`/admin/tenants/${tenant.tenantId}/purge`, { token: TEST_ADMIN_TOKEN, body: { olderThanDays: 0 } });
        expectStatus(purged, 200);
        // A pause, so that some deleted users are restored before a purge takes them and some are not.
        await pause(20);
      }
    })();
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; i < ROUNDS; i++) {
        const name = userName(tenant, `w${w}-${i}`);
        const created = await tenant.users.create({ userName: name });
        expectStatus(created, 201);
        expectStatus(await tenant.users.delete(created.body.id), 204);
        // Restores the soft-deleted user, or creates a new one if a purge got there first; a purge
        // between the restore's read and its write answers 409 (the restore found nothing to bring back).
        const restored = await tenant.users.create({ userName: name });
        expect([201, 409]).toContain(restored.status);
        const bulk = await tenant.bulk([postUser('a', { userName: userName(tenant, `bulk-${w}-${i}`) }), { method: 'DELETE', path: `/Users/${created.body.id}` }]);
        expectStatus(bulk, 200);
        const group = await tenant.groups.create({ displayName: `group ${w}-${i}` });
        expectStatus(group, 201);
        if (i % 2 === 0) expectStatus(await tenant.groups.delete(group.body.id), 204);
        const library = await libraries.add(`library ${w}-${i}`);
        if (i % 2 === 1) expectStatus(await libraries.delete(library.id), 204);
      }
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    } finally {
      racing = false;
      await purger;
    }
  };

  it('match a real count after racing creates, deletes, restores, Bulk writes and purges, in each tenant alone', async () => {
    const first = await newBulkTenant(roster);
    const second = await newBulkTenant(roster);
    await Promise.all([race(first, librariesAdmin(roster, first.tenantId)), race(second, librariesAdmin(roster, second.tenantId))]);
    // Both tenants ran the same writes, so a count shared or crossed between them would be off in both.
    await expectExactTotals(first);
    await expectExactTotals(second);
    // Every round leaves its Bulk-created user and, if a purge took the deleted one before the restore, the user created in its place.
    expect((await totals(first, 'Users')).index).toBeGreaterThanOrEqual(WORKERS * ROUNDS);
  });

  it('start at zero for a new tenant and count its first user', async () => {
    const tenant = await newBulkTenant(roster);
    await expectExactTotals(tenant);
    expect((await totals(tenant, 'Users')).index).toBe(0);
    expectStatus(await tenant.users.create({ userName: userName(tenant, 'only') }), 201);
    expect(await totals(tenant, 'Users')).toEqual({ index: 1, cursor: 1, stored: 1 });
  });
});
