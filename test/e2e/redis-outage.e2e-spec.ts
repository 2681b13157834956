import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRosterLogger } from '../../src/logging/roster-logger.js';
import { PRINCIPAL_CACHE_SECONDS } from '../../src/modules/auth/token.service.js';
import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';
import { startRosterOn, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { countUserRows } from '../support/scim-users.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const MISSING = '/scim/v2/Users/00000000-0000-0000-0000-000000000000';
const READS_PER_SECOND = 5;
/** Small limits, so that counting shared or per replica shows in a handful of requests. */
const LIMITS = { rateLimits: { readPerSecond: READS_PER_SECOND, writePerSecond: 50 }, tenantSettingsCacheMs: 100 };
/** Past one whole window, so that the next request starts a fresh one. */
const WINDOW_PASSED_MS = 1100;
/** redis-fallback.ts tries Redis again 5 s after it failed, ioredis reconnects within 1 s: 15 s is ample. */
const RECOVERY_TIMEOUT_MS = 15_000;

jest.setTimeout(90_000);

/** The lines the replicas' loggers wrote. */
class CapturedLog {
  private text = '';
  write(chunk: string): void {
    this.text += chunk;
  }
  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** The value of an unlabelled series in a replica's `/metrics`. */
async function gauge(replica: RosterHarness, name: string): Promise<number | undefined> {
  const text = (await replica.http.get('/metrics')).text;
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

describe.each(databaseKinds())('Redis out of reach (a TCP proxy cut in front of it) on %s', (kind) => {
  const log = new CapturedLog();
  let database: TestDatabase;
  let proxy: TcpProxy;
  let replicas: RosterHarness[] = [];
  let hasRedis = false;

  beforeAll(async () => {
    hasRedis = await redisAnswers();
    if (!hasRedis) {
      process.stdout.write(`SKIPPED: the Redis outage test on ${kind} (no Redis answers at ${TEST_REDIS_URL}).\n`);
      return;
    }
    const direct = new URL(TEST_REDIS_URL);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 6379));
    await proxy.start();
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    database = await createTestDatabase(kind);
    const options = { ...LIMITS, redisUrl: viaProxy.toString() };
    // One after the other: both run the migrations at start.
    // One log for both: Nest's Logger is a process-wide static, which the last app created owns.
    replicas = [await startRosterOn(database.options, options, createRosterLogger('info', log)), await startRosterOn(database.options, options, createRosterLogger('info', log))];
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const replica of replicas) await replica.close();
    await proxy?.stop();
    if (hasRedis) await database.drop();
  });

  /** Reads of one tenant, alternating between the replicas, in a fresh window: their statuses. */
  async function readsSplitAcross(token: string, count: number): Promise<HttpResponse[]> {
    await sleep(WINDOW_PASSED_MS);
    const answers: HttpResponse[] = [];
    for (let i = 0; i < count; i++) answers.push(await replicas[i % 2].http.get(MISSING, { token }));
    return answers;
  }

  /** Reads every 250 ms (4 a second, under the limit) for `ms`: their statuses and the longest answer. */
  async function slowestOfReadsFor(ms: number, token: string): Promise<{ statuses: number[]; ms: number }> {
    const statuses: number[] = [];
    let slowestMs = 0;
    for (const started = Date.now(); Date.now() - started < ms; await sleep(250)) {
      const sentAt = Date.now();
      statuses.push((await replicas[0].http.get('/scim/v2/Users?count=1', { token })).status);
      slowestMs = Math.max(slowestMs, Date.now() - sentAt);
    }
    return { statuses, ms: slowestMs };
  }

  async function waitForSharedLimits(): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < RECOVERY_TIMEOUT_MS) {
      const gauges = await Promise.all(replicas.map((replica) => gauge(replica, 'roster_rate_limit_per_replica')));
      if (gauges.every((value) => value === 0)) return Date.now() - started;
      await sleep(200);
    }
    throw new Error(`rate limits still per replica ${RECOVERY_TIMEOUT_MS} ms after Redis came back`);
  }

  it('serves through the cut with per-replica limits and the cache-bound revocation, then goes back to shared limits by itself', async () => {
    if (!hasRedis) return;
    const [first, second] = replicas;
    const connection: CreatedConnection = await createTenantWithConnection(first.http);
    const token = await requestAccessToken(first.http, connection);
    const doomedConnection = await createTenantWithConnection(first.http);
    const doomed = await requestAccessToken(first.http, doomedConnection);

    // Before the cut: the tenant's reads are counted together, whichever replica answers.
    const shared = await readsSplitAcross(token, READS_PER_SECOND + 1);
    expect(shared.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 429]);
    expect(shared.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
    expect(await gauge(first, 'roster_rate_limit_per_replica')).toBe(0);
    expect((await first.http.get('/health/ready')).body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    // Cached as accepted on the second replica, to be revoked during the cut.
    expect((await second.http.get('/scim/v2/Users?count=1', { token: doomed })).status).toBe(200);

    proxy.cut();
    // Writes still land, through either replica, and each is readable through the other.
    const created: { id: string; userName: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const userName = `cut.${i}@example.com`;
      const answer = await replicas[i % 2].http.post<{ id: string; userName: string }>('/scim/v2/Users', { token, body: { schemas: [USER], userName } });
      expect(answer.status).toBe(201);
      expect(answer.body.userName).toBe(userName);
      created.push(answer.body);
    }
    for (const [i, user] of created.entries()) {
      const read = await replicas[(i + 1) % 2].http.get<{ id: string; userName: string }>(`/scim/v2/Users/${user.id}`, { token });
      expect(read.body).toMatchObject({ id: user.id, userName: user.userName });
    }
    expect(await countUserRows(first, connection.tenantId)).toBe(4);

    // Only the first request after the cut waits for ioredis to give up: past the fallback's 5 s
    // retry, requests are not held again by a client that is still reconnecting.
    const slowest = await slowestOfReadsFor(6000, doomed);
    expect(slowest.statuses.every((status) => status === 200)).toBe(true);
    expect(slowest.ms).toBeLessThan(500);

    // Each replica now counts on its own, and says so in /metrics and in one warning (not one a request).
    expect(await Promise.all(replicas.map((replica) => gauge(replica, 'roster_rate_limit_per_replica')))).toEqual([1, 1]);
    const warnings = log.lines().filter((line) => line.level === 'warn' && String(line.msg).includes('rate limits are counted per replica'));
    expect(warnings).toHaveLength(2);
    const perReplica = await readsSplitAcross(token, 2 * READS_PER_SECOND + 2);
    expect(perReplica.map((answer) => answer.status)).toEqual([...Array<number>(2 * READS_PER_SECOND).fill(404), 429, 429]);
    expect(perReplica.slice(0, 2).map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['4', '4']);

    // Readiness stays 200: a replica without Redis still serves, it is only degraded.
    const ready = await first.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });

    // A revocation cannot be published: the other replica answers from its cache until the cache
    // bound, then reads the revocation from the database. (The revoking replica's own refusal is
    // not asserted here: Passport keeps its strategies in a process-wide registry, so in one
    // process both apps check tokens with the last app's strategy, the second's.)
    const revoked = await first.http.delete(`/admin/tenants/${doomedConnection.tenantId}/connections/${doomedConnection.connectionId}`, { token: TEST_ADMIN_TOKEN });
    expect(revoked.status).toBe(204);
    await sleep(1000);
    expect((await second.http.get('/scim/v2/Users?count=1', { token: doomed })).status).toBe(200);
    const realNow = Date.now.bind(Date);
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + PRINCIPAL_CACHE_SECONDS * 1000);
    expect((await second.http.get('/scim/v2/Users?count=1', { token: doomed })).status).toBe(401);
    clock.mockRestore();

    proxy.restore();

    // Back to shared counting without a restart: the gauge, readiness and the counts say so.
    await waitForSharedLimits();
    expect((await first.http.get('/health/ready')).body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    expect(log.lines().some((line) => String(line.msg).includes('Redis answers again'))).toBe(true);
    const sharedAgain = await readsSplitAcross(token, READS_PER_SECOND + 1);
    expect(sharedAgain.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 429]);
    expect(sharedAgain.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);

    // And revocations reach the other replica within a second again (the subscriber re-subscribed).
    const later = await createTenantWithConnection(first.http);
    const laterToken = await requestAccessToken(first.http, later);
    expect((await second.http.get('/scim/v2/Users?count=1', { token: laterToken })).status).toBe(200);
    expect((await first.http.delete(`/admin/tenants/${later.tenantId}/connections/${later.connectionId}`, { token: TEST_ADMIN_TOKEN })).status).toBe(204);
    await sleep(1000);
    expect((await second.http.get('/scim/v2/Users?count=1', { token: laterToken })).status).toBe(401);
  });

});
