import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startRoster, startRosterOn, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { bulkRequest, ERROR_SCHEMA, newBulkTenant, postUser, statusesOf, type BulkTenant } from '../support/scim-bulk.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';

const WRITE_LIMIT = 3;
/** Above the write limit, as with the defaults (1,000 operations against 200 writes a second). */
const MAX_OPERATIONS = 5;
/** A small write limit and a short settings cache, as test/e2e/rate-limits.e2e-spec.ts uses. */
const LIMITS = { rateLimits: { readPerSecond: 1000, writePerSecond: WRITE_LIMIT }, tenantSettingsCacheMs: 100 };
/** Past one whole window, so that the next request starts a fresh one. */
const WINDOW_PASSED_MS = 1100;

function expectTooManyRequests(response: HttpResponse): void {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(response.body).toEqual({ schemas: [ERROR_SCHEMA], status: '429', detail: expect.any(String) });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

describe.each(databaseKinds())('Bulk requests against the per-tenant write limit on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind, { ...LIMITS, bulkMaxOperations: MAX_OPERATIONS });
  });
  afterAll(() => roster.close());

  const creates = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => postUser(`${prefix}-${i}`, { userName: `${prefix}-${i}` }));
  const storedUsers = async (tenant: BulkTenant): Promise<number> => (await tenant.rows()).users;

  it('refuses a bulk of more operations than the write limit with 429 and Retry-After, in any window, and runs none of them', async () => {
    const tenant = await newBulkTenant(roster);
    expectTooManyRequests(await tenant.bulk(creates('too-many', WRITE_LIMIT + 1)));
    await sleep(WINDOW_PASSED_MS);
    expectTooManyRequests(await tenant.bulk(creates('too-many', WRITE_LIMIT + 1)));
    expect(await storedUsers(tenant)).toBe(0);
    expect(await tenant.usersNamed('too-many-0')).toEqual([]);
  });

  it('answers a bulk over maxOperations with 413, not 429, though it also exceeds the write limit, and runs none of it', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk(creates('oversized', MAX_OPERATIONS + 1));
    // 429 would tell the client to retry the same request after Retry-After, which no window admits.
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '413' });
    expect(await storedUsers(tenant)).toBe(0);
  });

  it('counts each operation: a bulk that fills the window runs, and the next write in that window is 429', async () => {
    const tenant = await newBulkTenant(roster);
    const filled = await tenant.bulk(creates('filler', WRITE_LIMIT));
    expect(filled.status).toBe(200);
    expect(statusesOf(filled).map(([, status]) => status)).toEqual(Array(WRITE_LIMIT).fill('201'));
    expectTooManyRequests(await tenant.users.create({ userName: 'one-too-many' }));
    expect(await tenant.usersNamed('one-too-many')).toEqual([]);
    expect(await storedUsers(tenant)).toBe(WRITE_LIMIT);
  });

  it('refuses a bulk needing more writes than remain in the window, runs none of it, and runs it whole in the next window', async () => {
    const tenant = await newBulkTenant(roster);
    expect((await tenant.users.create({ userName: 'single-1' })).status).toBe(201);
    expect((await tenant.users.create({ userName: 'single-2' })).status).toBe(201);
    const bulk = creates('later', 2);
    expectTooManyRequests(await tenant.bulk(bulk));
    expect(await tenant.usersNamed('later-0')).toEqual([]);
    expect(await storedUsers(tenant)).toBe(2);

    await sleep(WINDOW_PASSED_MS);
    const retried = await tenant.bulk(bulk);
    expect(retried.status).toBe(200);
    expect(statusesOf(retried)).toEqual([
      ['later-0', '201'],
      ['later-1', '201'],
    ]);
    expect(await storedUsers(tenant)).toBe(4);
  });

  it("counts a bulk against its own tenant's limit: a tenant raised to 6 writes runs a bulk of 5, another tenant is refused", async () => {
    const [raised, other] = [await newBulkTenant(roster), await newBulkTenant(roster)];
    const updated = await roster.http.patch(`/admin/tenants/${raised.tenantId}`, {
      token: TEST_ADMIN_TOKEN,
      body: { settings: { rateLimits: { writePerSecond: 6 } } },
    });
    expect(updated.status).toBe(200);
    await sleep(WINDOW_PASSED_MS);
    const admitted = await raised.bulk(creates('raised', 5));
    expect(admitted.status).toBe(200);
    expect(statusesOf(admitted).map(([, status]) => status)).toEqual(Array(5).fill('201'));
    expect(await storedUsers(raised)).toBe(5);
    expectTooManyRequests(await other.bulk(creates('other', 5)));
    expect(await storedUsers(other)).toBe(0);
  });
});


describe.each(databaseKinds())('Bulk requests against a write limit shared by replicas through Redis on %s', (kind) => {
  let database: TestDatabase;
  let replicas: RosterHarness[] = [];
  let hasRedis = false;

  beforeAll(async () => {
    hasRedis = await redisAnswers();
    if (!hasRedis) {
      process.stdout.write(`SKIPPED: the shared-Redis bulk rate-limit test on ${kind} (no Redis answers at ${TEST_REDIS_URL}).\n`);
      return;
    }
    database = await createTestDatabase(kind);
    const options = { ...LIMITS, redisUrl: TEST_REDIS_URL };
    // One after the other: both run the migrations at start.
    replicas = [await startRosterOn(database.options, options), await startRosterOn(database.options, options)];
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    if (hasRedis) await database.drop();
  });

  it('counts the operations of bulks sent to two replicas together, refusing the one that would pass the limit', async () => {
    if (!hasRedis) return;
    const [first, second] = replicas;
    const tenant = await newBulkTenant(first);
    const onSecond = (body: unknown) => second.http.post('/scim/v2/Bulk', { token: tenant.token, body });
    const admitted = await tenant.bulk([postUser('first-0', { userName: 'first-0' }), postUser('first-1', { userName: 'first-1' })]);
    expect(statusesOf(admitted)).toEqual([
      ['first-0', '201'],
      ['first-1', '201'],
    ]);
    expectTooManyRequests(await onSecond(bulkRequest([postUser('second-0', { userName: 'second-0' }), postUser('second-1', { userName: 'second-1' })])));
    expect(await tenant.usersNamed('second-0')).toEqual([]);
    expect((await tenant.rows()).users).toBe(2);
  });
});
