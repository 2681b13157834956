import { setTimeout as sleep } from 'node:timers/promises';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { buildService, startChildService, type ChildService } from '../support/child-service.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/databases.js';
import { HttpClient, type HttpResponse } from '../support/http-client.js';
import { TEST_ADMIN_TOKEN } from '../support/roster-harness.js';
import { patchOp } from '../support/scim-users.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const MISSING = '/scim/v2/Users/00000000-0000-0000-0000-000000000000';
/** The tenant's own read limit in the rate-limit test (the processes' defaults are set high for the load tests). */
const READS_PER_SECOND = 10;
const WINDOW_MS = 1000;
/** Past one whole window, so that the next request starts a fresh one. */
const WINDOW_PASSED_MS = 1100;

/**
 * Runs `send` at the start of a fresh one-second rate-limit window, again (up to three times) if
 * it took so long on the shared 2-core machine that its requests may have spanned two windows.
 */
async function inOneWindow<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await sleep(WINDOW_PASSED_MS);
    const started = Date.now();
    const result = await send();
    if (Date.now() - started < WINDOW_MS / 2 || attempt === 3) return result;
  }
}

// DESIGN.md "Multiple replicas": two service processes, one PostgreSQL, one Redis.
describeOnPostgres('Two service processes on one %s and one Redis', () => {
  let database: TestDatabase;
  let replicas: ChildService[] = [];
  let clients: HttpClient[] = [];
  let hasRedis = false;

  beforeAll(async () => {
    hasRedis = await redisAnswers();
    if (!hasRedis) {
      process.stdout.write(`SKIPPED: the two-process replica test (no Redis answers at ${TEST_REDIS_URL}).\n`);
      return;
    }
    await buildService();
    database = await createTestDatabase('postgres');
    const env = { ADMIN_TOKEN: TEST_ADMIN_TOKEN, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'warn', RATE_LIMIT_WRITE_PER_SEC: '10000', RATE_LIMIT_READ_PER_SEC: '10000' };
    // One after the other: both run the migrations at start.
    replicas = [await startChildService(database.options, env), await startChildService(database.options, env)];
    clients = replicas.map((replica) => new HttpClient(replica.baseUrl));
  }, 90_000);
  afterAll(async () => {
    for (const replica of replicas) {
      replica.process.kill('SIGTERM');
      await replica.exited;
    }
    if (hasRedis) await database.drop();
  });

  it('takes on one what the other minted, and refuses on one within a second what the other revoked', async () => {
    if (!hasRedis) return;
    const [a, b] = clients;
    const connection = await createTenantWithConnection(a);
    const token = await requestAccessToken(a, connection);
    expect((await b.get('/scim/v2/Users?count=1', { token })).status).toBe(200);
    expect((await a.delete(`/admin/tenants/${connection.tenantId}/connections/${connection.connectionId}`, { token: TEST_ADMIN_TOKEN })).status).toBe(204);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 1000) {
      status = (await b.get('/scim/v2/Users?count=1', { token })).status;
      if (status === 200) await sleep(20);
    }
    expect(status).toBe(401);
  });

  it("counts the tenant's rate limit once across both processes", async () => {
    if (!hasRedis) return;
    const [a, b] = clients;
    const connection = await createTenantWithConnection(a);
    const token = await requestAccessToken(a, connection);
    const limited = await a.patch(`/admin/tenants/${connection.tenantId}`, { token: TEST_ADMIN_TOKEN, body: { settings: { rateLimits: { readPerSecond: READS_PER_SECOND } } } });
    expect(limited.status).toBe(200);

    // Alternating one by one: what is left of the window goes down by one whichever process answers.
    const sequential = await inOneWindow(async () => {
      const answers: HttpResponse[] = [];
      for (let i = 0; i < READS_PER_SECOND + 2; i++) answers.push(await (i % 2 === 0 ? a : b).get(MISSING, { token }));
      return answers;
    });
    expect(sequential.map((answer) => answer.status)).toEqual([...Array<number>(READS_PER_SECOND).fill(404), 429, 429]);
    expect(sequential.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '0', '0']);

    // 2N at once, N to each: N get through in total, not N per process.
    const concurrent = await inOneWindow(() => Promise.all(Array.from({ length: 2 * READS_PER_SECOND }, (_, i) => (i % 2 === 0 ? a : b).get(MISSING, { token }))));
    expect(concurrent.filter((answer) => answer.status === 404)).toHaveLength(READS_PER_SECOND);
    expect(concurrent.filter((answer) => answer.status === 429)).toHaveLength(READS_PER_SECOND);
    const remaining = concurrent.filter((answer) => answer.status === 404).map((answer) => Number(answer.headers.get('x-ratelimit-remaining')));
    expect(remaining.sort((x, y) => x - y)).toEqual(Array.from({ length: READS_PER_SECOND }, (_, i) => i));
  });

  it('lands all of 20 concurrent PATCHes of one group split across both', async () => {
    if (!hasRedis) return;
    const [a, b] = clients;
    const connection = await createTenantWithConnection(a);
    const token = await requestAccessToken(a, connection);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await a.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: [USER], userName: `split-${i}@example.com` } })).body.id);
    const group = (await b.post<{ id: string }>('/scim/v2/Groups', { token, body: { schemas: [GROUP], displayName: 'Split' } })).body;
    const answers = await Promise.all(ids.map((id, i) => (i % 2 === 0 ? a : b).patch(`/scim/v2/Groups/${group.id}`, { token, body: patchOp({ op: 'add', path: 'members', value: [{ value: id }] }) })));
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 204));
    const stored = await a.get<{ members: { value: string }[]; meta: { version: string } }>(`/scim/v2/Groups/${group.id}`, { token });
    expect(stored.body.members.map((member) => member.value).sort()).toEqual([...ids].sort());
    expect(stored.body.meta.version).toBe('W/"21"');
  });

  it('loses no acknowledged write when one is stopped with SIGTERM under load', async () => {
    if (!hasRedis) return;
    const [a, b] = clients;
    const connection = await createTenantWithConnection(b);
    const token = await requestAccessToken(b, connection);
    const acknowledged: string[] = [];
    let failures = 0;
    const writer = async (client: HttpClient, name: string) => {
      for (let i = 0; i < 40; i++) {
        try {
          const created = await client.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: [USER], userName: `${name}-${i}@example.com` } });
          if (created.status === 201) acknowledged.push(created.body.id);
          else failures++;
        } catch {
          failures++;
        }
      }
    };
    const load = Promise.all([writer(a, 'a1'), writer(a, 'a2'), writer(b, 'b1')]);
    await sleep(150);
    replicas[0].process.kill('SIGTERM');
    await load;
    expect(await replicas[0].exited).toBe(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    for (const id of acknowledged) expect((await b.get(`/scim/v2/Users/${id}`, { token })).status).toBe(200);
    // What the stopped replica refused or never answered was not acknowledged, so it was not lost.
    expect(acknowledged.length + failures).toBe(120);
  });
});
