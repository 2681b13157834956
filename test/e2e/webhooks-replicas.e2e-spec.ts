import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { buildService, startChildService, type ChildService } from '../support/child-service.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/databases.js';
import { HttpClient } from '../support/http-client.js';
import { TEST_ADMIN_TOKEN } from '../support/roster-harness.js';
import { eventually, WebhookReceiver } from '../support/webhook-receiver.js';

interface DeliveryJson {
  eventId: string;
  status: string;
  attempts: number;
}

// DESIGN.md "Multiple replicas": each webhook attempt is made by exactly one replica; a replica
// that dies mid-delivery leaves the attempt to another. Leasing needs PostgreSQL (SKIP LOCKED).
describeOnPostgres('Webhook deliveries from two service processes on one %s', () => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let replicas: ChildService[] = [];
  let clients: HttpClient[] = [];

  beforeAll(async () => {
    await buildService();
    database = await createTestDatabase('postgres');
    receiver = await WebhookReceiver.start();
    // Timeout 2 s: a lease lasts 2 × 2 + 2 = 6 s.
    const env = { ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'info', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_TIMEOUT_SECONDS: '2', RATE_LIMIT_WRITE_PER_SEC: '10000' };
    replicas = [await startChildService(database.options, env), await startChildService(database.options, env)];
    clients = replicas.map((replica) => new HttpClient(replica.baseUrl));
  }, 90_000);
  afterAll(async () => {
    for (const replica of replicas) {
      if (replica.process.exitCode === null && replica.process.signalCode === null) replica.process.kill('SIGTERM');
      await replica.exited;
    }
    await receiver.close();
    await database.drop();
  });

  const setUp = async (path: string) => {
    const connection = await createTenantWithConnection(clients[0]);
    const token = await requestAccessToken(clients[0], connection);
    const created = await clients[1].post<{ id: string }>(`/admin/tenants/${connection.tenantId}/webhooks`, { token: TEST_ADMIN_TOKEN, body: { url: receiver.url(path), types: ['user.created'] } });
    expect(created.status).toBe(201);
    const deliveries = async (through = clients[0]): Promise<DeliveryJson[]> =>
      (await through.get<{ data: DeliveryJson[] }>(`/admin/tenants/${connection.tenantId}/webhooks/${created.body.id}/deliveries?limit=1000`, { token: TEST_ADMIN_TOKEN })).body.data;
    return { token, deliveries };
  };

  it('sends each event once when both deliver: one attempt, one replica', async () => {
    const { token, deliveries } = await setUp('/both');
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => clients[i % 2].post('/scim/v2/Users', { token, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `both${i}@example.com` } })),
    );
    const rows = await eventually(async () => {
      const all = await deliveries();
      return all.length === 60 && all.every((row) => row.status === 'succeeded') && all;
    }, 'sixty deliveries', 30_000);
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
    const ids = receiver.on('/both').map((webhook) => String(webhook.headers['webhook-id']));
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(new Set(ids)).toEqual(new Set(rows.map((row) => row.eventId)));
  }, 60_000);

  it('finishes, on the other replica, a delivery whose replica was killed mid-attempt', async () => {
    const { token, deliveries } = await setUp('/killed');
    receiver.answer = (webhook) => (webhook.path === '/killed' && receiver.on('/killed').length === 1 ? 'hang' : 200);
    expect((await clients[0].post('/scim/v2/Users', { token, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'killed@example.com' } })).status).toBe(201);
    await eventually(() => receiver.on('/killed').length === 1, 'the attempt under way');

    // The lease names its replica; that replica's log says which one it is.
    const owners = await eventually(async () => {
      const held = await leaseOwners(database);
      return held.length === 1 && held;
    }, 'the lease');
    const holder = replicas.findIndex((replica) => replica.output().includes(`leases as ${owners[0]}`));
    expect(holder).toBeGreaterThanOrEqual(0);
    const killedAt = Date.now();
    replicas[holder].process.kill('SIGKILL');
    await replicas[holder].exited;

    const survivor = clients[1 - holder];
    const [row] = await eventually(async () => {
      const rows = await deliveries(survivor);
      return rows[0]?.status === 'succeeded' && rows;
    }, 'the delivery by the survivor', 20_000);
    const got = receiver.on('/killed');
    expect(got).toHaveLength(2);
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    // Not before the dead replica's lease ran out (6 s from its claim).
    expect(got[1].receivedAt - got[0].receivedAt).toBeGreaterThanOrEqual(5000);
    expect(got[1].receivedAt - killedAt).toBeLessThan(10_000);
    expect(row.attempts).toBe(1);
  }, 60_000);
});

async function leaseOwners(database: TestDatabase): Promise<string[]> {
  if (database.options.kind !== 'postgres') return [];
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: database.options.url });
  await client.connect();
  try {
    const result = await client.query<{ lease_owner: string }>(`SELECT lease_owner FROM webhook_deliveries WHERE lease_owner IS NOT NULL`);
    return result.rows.map((row) => row.lease_owner);
  } finally {
    await client.end();
  }
}
