import { setTimeout as sleep } from 'node:timers/promises';
import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import type { HttpClient, HttpResponse } from '../support/http-client.js';
import { countUserRows } from '../support/scim-users.js';
import { startRoster, startRosterOn, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const MISSING = '/scim/v2/Users/00000000-0000-0000-0000-000000000000';
/** Small limits and a short settings cache, so that the tests neither hammer nor wait long. */
const LIMITS = { rateLimits: { readPerSecond: 5, writePerSecond: 3 }, tenantSettingsCacheMs: 100 };
/** Past one whole window, so that the next request starts a fresh one. */
const WINDOW_PASSED_MS = 1100;

interface Caller {
  readonly connection: CreatedConnection;
  readonly token: string;
}

async function newCaller(http: HttpClient): Promise<Caller> {
  const connection = await createTenantWithConnection(http);
  return { connection, token: await requestAccessToken(http, connection) };
}

/** Sequential requests, so that the first `limit` are in and the rest are out of one window. */
async function statuses(count: number, send: () => Promise<HttpResponse>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await send()).status);
  return seen;
}

/** The `X-RateLimit-*` headers of an answer, as [limit, remaining]. */
function rateLimitOf(response: HttpResponse): [string | null, string | null] {
  return [response.headers.get('x-ratelimit-limit'), response.headers.get('x-ratelimit-remaining')];
}

function expectTooManyRequests(response: HttpResponse): void {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(response.body).toEqual({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: '429',
    detail: expect.any(String),
  });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
}

describe.each(databaseKinds())('Per-tenant rate limits on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind, LIMITS);
  });
  afterAll(() => roster.close());

  const read = (caller: Caller) => () => roster.http.get(MISSING, { token: caller.token });
  const create = (caller: Caller, userName: string) =>
    roster.http.post('/scim/v2/Users', { token: caller.token, body: { schemas: [USER], userName } });

  it('answers 429 with a SCIM error and Retry-After past the read limit, while another tenant is unaffected', async () => {
    const [busy, quiet] = [await newCaller(roster.http), await newCaller(roster.http)];
    expect(await statuses(5, read(busy))).toEqual([404, 404, 404, 404, 404]);
    expectTooManyRequests(await read(busy)());
    expect(await statuses(5, read(quiet))).toEqual([404, 404, 404, 404, 404]);
  });

  it('counts writes separately from reads', async () => {
    const caller = await newCaller(roster.http);
    expect(await statuses(5, read(caller))).toEqual([404, 404, 404, 404, 404]);
    expect((await read(caller)()).status).toBe(429);
    const writes = [await create(caller, 'w1'), await create(caller, 'w2'), await create(caller, 'w3')];
    expect(writes.map((response) => response.status)).toEqual([201, 201, 201]);
    expectTooManyRequests(await create(caller, 'w4'));
    expect((await roster.http.delete(MISSING, { token: caller.token })).status).toBe(429);
  });

  it('raises the limit for the tenant whose settings override it, and for no other', async () => {
    const [raised, other] = [await newCaller(roster.http), await newCaller(roster.http)];
    const updated = await roster.http.patch(`/admin/tenants/${raised.connection.tenantId}`, {
      token: TEST_ADMIN_TOKEN,
      body: { settings: { rateLimits: { readPerSecond: 8 } } },
    });
    expect(updated.status).toBe(200);
    await sleep(WINDOW_PASSED_MS);
    expect(await statuses(9, read(raised))).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429]);
    expect(await statuses(6, read(other))).toEqual([404, 404, 404, 404, 404, 429]);
  });

  it('lets requests through again once the window has passed', async () => {
    const caller = await newCaller(roster.http);
    expect(await statuses(6, read(caller))).toEqual([404, 404, 404, 404, 404, 429]);
    await sleep(WINDOW_PASSED_MS);
    expect((await read(caller)()).status).toBe(404);
  });

  it('counts down X-RateLimit-Remaining within one window on successes and errors alike, to 0 on the 429', async () => {
    const caller = await newCaller(roster.http);
    const created = await create(caller, 'counted');
    expect(created.status).toBe(201);
    expect(rateLimitOf(created)).toEqual(['3', '2']);
    const reads: HttpResponse[] = [];
    reads.push(await roster.http.get(`/scim/v2/Users/${(created.body as { id: string }).id}`, { token: caller.token }));
    for (let i = 0; i < 4; i += 1) reads.push(await read(caller)());
    expect(reads.map((response) => response.status)).toEqual([200, 404, 404, 404, 404]);
    expect(reads.map(rateLimitOf)).toEqual([
      ['5', '4'],
      ['5', '3'],
      ['5', '2'],
      ['5', '1'],
      ['5', '0'],
    ]);
    const refused = await read(caller)();
    expectTooManyRequests(refused);
    expect(rateLimitOf(refused)).toEqual(['5', '0']);
    // Writes have a window of their own: two left after the create above.
    const invalid = await roster.http.post('/scim/v2/Users', { token: caller.token, body: { schemas: [USER] } });
    expect(invalid.status).toBe(400);
    expect(rateLimitOf(invalid)).toEqual(['3', '1']);
    expect(await countUserRows(roster, caller.connection.tenantId)).toBe(1);
  });

  it('puts no X-RateLimit headers on what is not counted: discovery, a request without a valid token', async () => {
    const discovery = await roster.http.get('/scim/v2/ServiceProviderConfig');
    const anonymous = await roster.http.get(MISSING);
    expect([discovery.status, anonymous.status]).toEqual([200, 401]);
    expect([...rateLimitOf(discovery), ...rateLimitOf(anonymous)]).toEqual([null, null, null, null]);
  });

  it('leaves /oauth/token, /admin and discovery unthrottled', async () => {
    const caller = await newCaller(roster.http);
    expect(await statuses(6, read(caller))).toEqual([404, 404, 404, 404, 404, 429]);
    expect((await roster.http.get('/scim/v2/ServiceProviderConfig')).status).toBe(200);
    expect((await roster.http.get(`/admin/tenants/${caller.connection.tenantId}`, { token: TEST_ADMIN_TOKEN })).status).toBe(200);
    await expect(requestAccessToken(roster.http, caller.connection)).resolves.toEqual(expect.any(String));
  });
});


describe.each(databaseKinds())('Per-tenant rate limits across replicas sharing Redis on %s', (kind) => {
  let database: TestDatabase;
  let replicas: RosterHarness[] = [];
  let hasRedis = false;

  beforeAll(async () => {
    hasRedis = await redisAnswers();
    if (!hasRedis) {
      process.stdout.write(`SKIPPED: the shared-Redis rate-limit test on ${kind} (no Redis answers at ${TEST_REDIS_URL}).\n`);
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

  it('counts one tenant together on two app instances', async () => {
    if (!hasRedis) return;
    const [first, second] = replicas;
    const caller = await newCaller(first.http);
    const send = (replica: RosterHarness) => () => replica.http.get(MISSING, { token: caller.token });
    const seen = [...(await statuses(3, send(first))), ...(await statuses(1, send(second)))];
    expect(seen).toEqual([404, 404, 404, 404]);
    // The count, and so what is left, is the tenant's across replicas.
    expect(rateLimitOf(await send(second)())).toEqual(['5', '0']);
    expectTooManyRequests(await send(second)());
    expect((await send(first)()).status).toBe(429);
  });
});
