import { setTimeout as sleep } from 'node:timers/promises';
import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startRoster, startRosterOn, type RosterHarness } from '../support/roster-harness.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const RECOVERY_TIMEOUT_MS = 15_000;

interface Answer {
  readonly status: number;
  readonly id?: string;
}

const onPostgres = databaseKinds().includes('postgres') ? describe : describe.skip;

onPostgres('PostgreSQL out of reach (a TCP proxy cut in front of it)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let roster: RosterHarness;
  let token: string;
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (database.options.kind !== 'postgres') throw new Error('a PostgreSQL database was asked for');
    const direct = new URL(database.options.url);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    roster = await startRosterOn({ kind: 'postgres', url: viaProxy.toString() });
    token = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
  });
  afterAll(async () => {
    await roster?.close();
    await proxy?.stop();
    await database?.drop();
  });

  async function createUser(): Promise<Answer> {
    counter += 1;
    const response = await roster.http.post<{ id?: string }>('/scim/v2/Users', { token, body: { schemas: [USER], userName: `outage.${counter}` } });
    return { status: response.status, ...(response.body?.id ? { id: response.body.id } : {}) };
  }

  async function waitUntilReady(): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < RECOVERY_TIMEOUT_MS) {
      if ((await roster.http.get('/health/ready')).status === 200) return Date.now() - started;
      await sleep(100);
    }
    throw new Error(`not ready ${RECOVERY_TIMEOUT_MS} ms after the database came back`);
  }

  it('answers 503 with Retry-After while cut, never 500, recovers by itself, and loses no acknowledged write', async () => {
    const acknowledged: string[] = [];
    const statuses: number[] = [];
    const record = (answer: Answer) => {
      statuses.push(answer.status);
      if (answer.status === 201 && answer.id) acknowledged.push(answer.id);
    };
    for (let i = 0; i < 5; i++) record(await createUser());
    expect(acknowledged).toHaveLength(5);
    // A token this replica has never checked: during the cut its look-up fails, before any cache can answer.
    const unseen = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));

    // Four writers keep writing across the cut: some writes are in flight when it comes, some
    // connections die mid-transaction. Each write is acknowledged or refused, never half-done.
    let writing = true;
    const writer = async () => {
      while (writing) record(await createUser());
    };
    const writers = Promise.all([writer(), writer(), writer(), writer()]);
    await sleep(150);
    proxy.cut();
    await sleep(300);
    writing = false;
    await writers;

    const refused = await roster.http.post<{ schemas: string[]; status: string; detail: string }>('/scim/v2/Users', {
      token,
      body: { schemas: [USER], userName: 'outage.refused' },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(refused.body).toMatchObject({ schemas: [ERROR], status: '503' });
    for (let i = 0; i < 5; i++) record(await createUser());
    expect((await roster.http.get('/scim/v2/Users?count=1', { token })).status).toBe(503);
    // GET by id and lists are direct reads (src/http/direct-routes.ts): a failing token look-up there is the Nest route's 503 too.
    for (const path of [`/scim/v2/Users/${acknowledged[0]}`, '/scim/v2/Users?count=1']) {
      const unavailable = await roster.http.get<{ schemas: string[]; status: string }>(path, { token: unseen });
      expect({ path, status: unavailable.status, retryAfter: unavailable.headers.get('retry-after') }).toEqual({ path, status: 503, retryAfter: '5' });
      expect(unavailable.body).toMatchObject({ schemas: [ERROR], status: '503' });
    }
    expect((await roster.http.get('/health/ready')).status).toBe(503);

    proxy.restore();
    const recoveryMs = await waitUntilReady();
    expect(recoveryMs).toBeLessThan(RECOVERY_TIMEOUT_MS);
    for (let i = 0; i < 3; i++) record(await createUser());

    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(statuses.slice(-3)).toEqual([201, 201, 201]);
    for (const id of acknowledged) {
      const read = await roster.http.get(`/scim/v2/Users/${id}`, { token });
      expect({ id, status: read.status }).toEqual({ id, status: 200 });
    }
  });

  it('answers the token endpoint 503 temporarily_unavailable with Retry-After while cut', async () => {
    const connection = await createTenantWithConnection(roster.http);
    proxy.cut();
    try {
      const response = await roster.http.post<{ error: string }>('/oauth/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: connection.clientId, client_secret: connection.clientSecret }).toString(),
      });
      expect(response.status).toBe(503);
      expect(response.body.error).toBe('temporarily_unavailable');
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      proxy.restore();
    }
    await waitUntilReady();
  });
});

describe('Redis out of reach', () => {
  let roster: RosterHarness;
  let connection: CreatedConnection;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there. Failed-token counters and rate-limit counters live in Redis.
    roster = await startRoster('sqlite', { redisUrl: 'redis://127.0.0.1:1' });
    connection = await createTenantWithConnection(roster.http);
  });
  afterAll(() => roster.close());

  it('issues tokens and serves SCIM with rate limits counted by this replica, and says so in a metric', async () => {
    const token = await roster.http.post<{ access_token: string }>('/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: connection.clientId, client_secret: connection.clientSecret }).toString(),
    });
    expect(token.status).toBe(200);
    const first = await roster.http.get<{ totalResults: number }>('/scim/v2/Users', { token: token.body.access_token });
    expect(first.status).toBe(200);
    expect(first.body.totalResults).toBe(0);
    const second = await roster.http.get('/scim/v2/Users', { token: token.body.access_token });
    // Counted locally: the tenant's read limit, one request fewer left than before.
    expect(Number(first.headers.get('x-ratelimit-remaining')) - Number(second.headers.get('x-ratelimit-remaining'))).toBe(1);
    const metrics = await roster.http.get('/metrics');
    expect(metrics.text).toMatch(/^roster_rate_limit_per_replica 1$/m);
  });
});
