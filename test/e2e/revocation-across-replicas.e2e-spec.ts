import { createTenantWithConnection } from '../support/bootstrap.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startRosterOn, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';

// DESIGN.md "Multiple replicas": with Redis, a revocation takes effect on every replica within a second.
const WITHIN_MS = 1000;


/** The first status other than `from` within `ms`, polling; `from` if it never changed. */
async function statusWithin(ms: number, from: number, probe: () => Promise<number>): Promise<{ status: number; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const status = await probe();
    if (status !== from || Date.now() - started > ms) return { status, afterMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(databaseKinds())('Revocations across replicas sharing Redis on %s', (kind) => {
  let database: TestDatabase;
  let replicas: RosterHarness[] = [];
  let hasRedis = false;

  beforeAll(async () => {
    hasRedis = await redisAnswers();
    if (!hasRedis) {
      process.stdout.write(`SKIPPED: the cross-replica revocation test on ${kind} (no Redis answers at ${TEST_REDIS_URL}).\n`);
      return;
    }
    database = await createTestDatabase(kind);
    replicas = [await startRosterOn(database.options, { redisUrl: TEST_REDIS_URL }), await startRosterOn(database.options, { redisUrl: TEST_REDIS_URL })];
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    if (hasRedis) await database.drop();
  });

  it('refuses on the other replica, within a second, a connection, a secret token and an admin key revoked on one', async () => {
    if (!hasRedis) return;
    const [first, second] = replicas;
    const connection = await createTenantWithConnection(first.http);
    const minted = async () =>
      (await first.http.post<{ id: string; token: string }>(`/admin/tenants/${connection.tenantId}/connections/${connection.connectionId}/tokens`, { token: TEST_ADMIN_TOKEN, body: {} })).body;
    const scim = (token: string) => async () => (await second.http.get('/scim/v2/Users?count=1', { token })).status;

    // A secret token, cached as accepted on the second replica, then revoked through the first.
    const secret = await minted();
    expect(await scim(secret.token)()).toBe(200);
    expect((await first.http.delete(`/admin/tenants/${connection.tenantId}/connections/${connection.connectionId}/tokens/${secret.id}`, { token: TEST_ADMIN_TOKEN })).status).toBe(204);
    expect(await statusWithin(WITHIN_MS, 200, scim(secret.token))).toMatchObject({ status: 401 });

    // The connection itself, and so every token it holds.
    const another = await minted();
    expect(await scim(another.token)()).toBe(200);
    expect((await first.http.delete(`/admin/tenants/${connection.tenantId}/connections/${connection.connectionId}`, { token: TEST_ADMIN_TOKEN })).status).toBe(204);
    expect(await statusWithin(WITHIN_MS, 200, scim(another.token))).toMatchObject({ status: 401 });

    // An admin key.
    const key = (await first.http.post<{ id: string; key: string }>('/admin/keys', { token: TEST_ADMIN_TOKEN, body: { name: 'replicated', scopes: ['admin:read'] } })).body;
    const admin = async () => (await second.http.get(`/admin/tenants/${connection.tenantId}/roles`, { token: key.key })).status;
    expect(await admin()).toBe(200);
    expect((await first.http.delete(`/admin/keys/${key.id}`, { token: TEST_ADMIN_TOKEN })).status).toBe(204);
    expect(await statusWithin(WITHIN_MS, 200, admin)).toMatchObject({ status: 401 });
  });
});
