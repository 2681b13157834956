import { randomUUID } from 'node:crypto';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { captureStatements, type CapturedStatement } from '../support/captured-sql.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { groupsApi } from '../support/scim-groups.js';
import { ACCESS_USER, librariesAdmin } from '../support/scim-libraries.js';
import { patchOp, USER_SCHEMA, usersApi, type UsersApi } from '../support/scim-users.js';

const USERS = 12;
const ROUNDS = 10;

/** The statement that reads several users by id at once (CoalescedIdReads). */
const isBatchedRead = (statement: CapturedStatement): boolean => statement.sql.startsWith('SELECT r.id, r.data') && /ANY\(\$2|json_each\(/.test(statement.sql);
/** The access endpoint's statement for several users at once. */
const isBatchedAccess = (statement: CapturedStatement): boolean => statement.sql.startsWith('SELECT u.id, u.active') && /ANY\(\$2|json_each\(/.test(statement.sql);

/** A keyed filter page of several lookups at once (CoalescedStatements): UNION ALL branches on SQLite, a lateral subquery over their values on PostgreSQL. */
const isSharedFilterPage = (statement: CapturedStatement): boolean => statement.sql.includes('coalesced_slot') && (statement.sql.includes(' UNION ALL ') || statement.sql.includes(' CROSS JOIN LATERAL '));

/** Each batched statement names several distinct ids. */
function expectDistinctIds(statements: readonly CapturedStatement[]): void {
  for (const statement of statements) {
    const [, idList] = statement.parameters;
    const batchIds = typeof idList === 'string' ? (JSON.parse(idList) as string[]) : (idList as string[]);
    expect(batchIds.length).toBeGreaterThan(1);
    expect(new Set(batchIds).size).toBe(batchIds.length);
  }
}

/**
 * GETs by id that arrive together share one statement per tenant (src/database/coalesced-id-reads.ts).
 * Each must still get exactly the answer it gets alone — its own user, its own tenant's, live,
 * as last written — however the reads around it are batched.
 */
describe.each(databaseKinds())('coalesced GETs by id on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let otherTenantId: string;
  let users: UsersApi;
  let otherUsers: UsersApi;
  const ids: string[] = [];
  let otherTenantsUser: string;
  let deletedUser: string;
  let everyoneGroup: string;

  beforeAll(async () => {
    roster = await startRoster(kind, { rateLimits: { readPerSecond: 100_000, writePerSecond: 100_000 } });
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    users = usersApi(roster, await requestAccessToken(roster.http, connection));
    const otherConnection = await createTenantWithConnection(roster.http);
    otherTenantId = otherConnection.tenantId;
    otherUsers = usersApi(roster, await requestAccessToken(roster.http, otherConnection));
    const library = await librariesAdmin(roster, connection.tenantId).add('coalesced library');
    for (let i = 0; i < USERS; i++) {
      // Some with grants, some without, so the batch's rows differ in their inline values.
      const grants = i % 3 === 0 ? { schemas: [USER_SCHEMA, ACCESS_USER], [ACCESS_USER]: { libraries: [library.id] } } : {};
      const created = await users.create({
        userName: `coalesced-${i}@example.com`,
        displayName: `User ${i}`,
        externalId: `ext-${i % 4}`,
        emails: [{ type: 'work', value: `work-${i}@example.com` }],
        ...grants,
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    const groups = groupsApi(roster, users.token);
    expect((await groups.create({ displayName: 'coalesced group', members: ids.filter((_, i) => i % 2 === 0).map((value) => ({ value })) })).status).toBe(201);
    // More members than a lookup's answer that is rendered at once (ResourceReader): rendered on a turn of the list queue.
    const everyone = await groups.create({ displayName: 'everyone', members: ids.map((value) => ({ value })) });
    expect(everyone.status).toBe(201);
    everyoneGroup = everyone.body.id as string;
    const other = await otherUsers.create({ userName: 'other-tenant@example.com' });
    otherTenantsUser = other.body.id as string;
    const deleted = await users.create({ userName: 'deleted@example.com' });
    deletedUser = deleted.body.id as string;
    expect((await users.delete(deletedUser)).status).toBe(204);
  });
  afterAll(() => roster.close());

  it('answers each of many concurrent GETs, of two tenants, as it answers it alone, in fewer statements than GETs', async () => {
    let batched: CapturedStatement[] = [];
    for (let round = 0; round < ROUNDS && batched.length === 0; round++) {
      // A write acknowledged before the round is in every answer of the round.
      const renamed = `Renamed ${round}`;
      expect((await users.patch(ids[round], patchOp({ op: 'replace', path: 'displayName', value: renamed }))).status).toBe(200);
      const alone = await Promise.all(ids.map(async (id) => (await users.get(id)).text));
      expect(JSON.parse(alone[round]).displayName).toBe(renamed);

      const reads: { expected: () => Promise<{ status: number; text?: string }>; actual: () => Promise<{ status: number; text: string }> }[] = [
        ...ids.map((id, i) => ({ expected: () => Promise.resolve({ status: 200, text: alone[i] }), actual: () => users.get(id) })),
        // The same user twice, and a user of the other tenant read with each tenant's token.
        { expected: () => Promise.resolve({ status: 200, text: alone[0] }), actual: () => users.get(ids[0]) },
        { expected: () => otherUsers.get(otherTenantsUser), actual: () => otherUsers.get(otherTenantsUser) },
        { expected: () => Promise.resolve({ status: 404 }), actual: () => users.get(otherTenantsUser) },
        { expected: () => Promise.resolve({ status: 404 }), actual: () => otherUsers.get(ids[1]) },
        { expected: () => Promise.resolve({ status: 404 }), actual: () => users.get(deletedUser) },
        { expected: () => Promise.resolve({ status: 404 }), actual: () => users.get(randomUUID()) },
      ];
      let answers: { status: number; text: string }[] = [];
      const statements = await captureStatements(roster, async () => {
        answers = await Promise.all(reads.map((read) => read.actual()));
      });
      for (const [i, read] of reads.entries()) {
        const expected = await read.expected();
        expect({ i, status: answers[i].status }).toEqual({ i, status: expected.status });
        if (expected.text !== undefined) expect(answers[i].text).toBe(expected.text);
      }
      batched = statements.filter(isBatchedRead);
    }
    // Loopback requests sent at once reach the service in the same poll phases: the batched statement ran.
    expect(batched.length).toBeGreaterThan(0);
    expectDistinctIds(batched);
  });

  it('answers each of many concurrent keyed filters, of two tenants, as it answers it alone, in fewer statements than filters', async () => {
    const filtered = (api: UsersApi, filter: string, window = '') => roster.http.get(`/scim/v2/Users?filter=${encodeURIComponent(filter)}${window}`, { token: api.token });
    // Full and later pages of a lookup count their matches apart (ResourceLister.rowsByIndexWithTotal).
    const windows: [UsersApi, string, string][] = [
      [users, 'externalId eq "ext-1"', '&count=2'],
      [users, 'externalId eq "ext-2"', '&startIndex=2&count=1'],
      [users, 'externalId eq "ext-1"', '&startIndex=3'],
      [users, 'externalId eq "ext-2"', '&count=0'],
      [users, `groups.value eq "${everyoneGroup}"`, ''],
      [users, `groups.value eq "${everyoneGroup}"`, '&count=11'],
    ];
    const filters: [UsersApi, string, string?][] = [
      ...ids.map((_, i): [UsersApi, string] => [users, `userName eq "coalesced-${i}@example.com"`]),
      [users, 'userName eq "COALESCED-3@EXAMPLE.COM"'],
      [users, 'userName eq "coalesced-0@example.com"'],
      [users, 'externalId eq "ext-1"'],
      [users, 'externalId eq "ext-2"'],
      [users, 'emails[type eq "work"].value eq "work-5@example.com"'],
      [users, 'emails[type eq "work"].value eq "work-6@example.com"'],
      [users, 'userName eq "other-tenant@example.com"'],
      [otherUsers, 'userName eq "other-tenant@example.com"'],
      [otherUsers, 'userName eq "coalesced-1@example.com"'],
      [users, 'userName eq "deleted@example.com"'],
      [users, 'userName eq "nobody@example.com"'],
      ...windows,
    ];
    let shared: CapturedStatement[] = [];
    for (let round = 0; round < ROUNDS && shared.length === 0; round++) {
      const alone = [];
      for (const [api, filter, window] of filters) alone.push(await filtered(api, filter, window));
      let answers: { status: number; text: string }[] = [];
      const statements = await captureStatements(roster, async () => {
        answers = await Promise.all(filters.map(([api, filter, window]) => filtered(api, filter, window)));
      });
      for (const [i, answer] of answers.entries()) expect({ filter: filters[i][1], status: answer.status, text: answer.text }).toEqual({ filter: filters[i][1], status: 200, text: alone[i].text });
      shared = statements.filter(isSharedFilterPage);
    }
    // The answers above are real: matches, several matches, case-insensitive userName, none, other tenants'.
    const pages = await Promise.all(filters.map(async ([api, filter, window]) => (await filtered(api, filter, window)).body as { totalResults: number; itemsPerPage: number }));
    expect(pages.map((page) => page.totalResults)).toEqual([...ids.map(() => 1), 1, 1, 3, 3, 1, 1, 0, 1, 0, 0, 0, 3, 3, 3, 3, USERS, USERS]);
    expect(pages.slice(-windows.length).map((page) => page.itemsPerPage)).toEqual([2, 1, 1, 0, USERS, 11]);
    expect(shared.length).toBeGreaterThan(0);
  });

  it('answers each of many concurrent access requests, of two tenants, as it answers it alone, in fewer statements than requests', async () => {
    const accessOf = (tenant: string, user: string) => roster.http.get(`/admin/tenants/${tenant}/users/${user}/access`, { token: TEST_ADMIN_TOKEN });
    let batched: CapturedStatement[] = [];
    for (let round = 0; round < ROUNDS && batched.length === 0; round++) {
      // A deactivation acknowledged before the round is in every answer of the round (no roles, no libraries).
      expect((await users.patch(ids[round], patchOp({ op: 'replace', path: 'active', value: round % 2 === 1 }))).status).toBe(200);
      const alone = await Promise.all(ids.map(async (id) => (await accessOf(tenantId, id)).text));
      expect(JSON.parse(alone[round]).active).toBe(round % 2 === 1);
      const reads: { status: number; text?: string; actual: () => Promise<{ status: number; text: string }> }[] = [
        ...ids.map((id, i) => ({ status: 200, text: alone[i], actual: () => accessOf(tenantId, id) })),
        { status: 200, text: alone[0], actual: () => accessOf(tenantId, ids[0]) },
        { status: 200, text: (await accessOf(otherTenantId, otherTenantsUser)).text, actual: () => accessOf(otherTenantId, otherTenantsUser) },
        { status: 404, actual: () => accessOf(tenantId, otherTenantsUser) },
        { status: 404, actual: () => accessOf(otherTenantId, ids[1]) },
        { status: 404, actual: () => accessOf(tenantId, deletedUser) },
        { status: 404, actual: () => accessOf(tenantId, randomUUID()) },
      ];
      let answers: { status: number; text: string }[] = [];
      const statements = await captureStatements(roster, async () => {
        answers = await Promise.all(reads.map((read) => read.actual()));
      });
      for (const [i, read] of reads.entries()) {
        expect({ i, status: answers[i].status }).toEqual({ i, status: read.status });
        if (read.text !== undefined) expect(answers[i].text).toBe(read.text);
      }
      batched = statements.filter(isBatchedAccess);
    }
    expect(batched.length).toBeGreaterThan(0);
    expectDistinctIds(batched);
  });
});
