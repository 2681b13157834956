import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import { DEFAULT_OPTIONS, type RosterOptions } from '../../src/config/roster-options.js';
import { EventsRetention } from '../../src/modules/events/events-retention.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startRosterOn, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { usersApi } from '../support/scim-users.js';
import { eventually, WebhookReceiver } from '../support/webhook-receiver.js';

interface DeliveryJson {
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

const webhooks = (overrides: Partial<RosterOptions['webhooks']>): Partial<RosterOptions> => ({
  webhooks: { ...DEFAULT_OPTIONS.webhooks, allowPrivateTargets: true, pollMs: 40, ...overrides },
});

/** Deliveries that outlive the process that recorded them, and addresses checked when sending. */
describe.each(databaseKinds())('Webhook deliveries across restarts on %s', (kind) => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let roster: RosterHarness | undefined;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await roster?.close();
    roster = undefined;
    await receiver.close();
    await database.drop();
  });

  /** A tenant with a user-writing token and one endpoint, on `roster`. */
  const setUp = async (url: string) => {
    if (roster === undefined) throw new Error('no service');
    const connection = await createTenantWithConnection(roster.http);
    const token = await requestAccessToken(roster.http, connection);
    const created = await roster.http.post<{ id: string }>(`/admin/tenants/${connection.tenantId}/webhooks`, { token: TEST_ADMIN_TOKEN, body: { url, types: ['user.created'] } });
    expect(created.status).toBe(201);
    return { tenantId: connection.tenantId, webhookId: created.body.id, token };
  };
  const deliveriesOn = async (service: RosterHarness, tenantId: string, webhookId: string): Promise<DeliveryJson[]> =>
    (await service.http.get<{ data: DeliveryJson[] }>(`/admin/tenants/${tenantId}/webhooks/${webhookId}/deliveries`, { token: TEST_ADMIN_TOKEN })).body.data;

  it('sends right after a local write commits, not at the next poll', async () => {
    roster = await startRosterOn(database.options, webhooks({ pollMs: 60_000 }));
    const { token } = await setUp(receiver.url());
    // The first pass runs at start-up; from here on only a commit can wake the loop within a minute.
    const written = Date.now();
    expect((await usersApi(roster, token).create({ userName: 'prompt@example.com' })).status).toBe(201);
    const [webhook] = await eventually(() => receiver.received.length > 0 && receiver.received, 'the delivery', 5000);
    expect(webhook.receivedAt - written).toBeLessThan(5000);
    expect(JSON.parse(webhook.body)).toMatchObject({ type: 'user.created' });
  });

  it("holds at most its pending window of an endpoint's deliveries; the rest of its events wait in the stream", async () => {
    roster = await startRosterOn(database.options, webhooks({ retryDelaysMs: [3_600_000], pendingWindow: 2 }));
    receiver.answer = () => 503;
    const { tenantId, webhookId, token } = await setUp(receiver.url());
    const users = usersApi(roster, token);
    for (const n of [1, 2, 3, 4]) expect((await users.create({ userName: `backlog-${n}@example.com` })).status).toBe(201);
    const service = roster;
    // Two deliveries, each tried once and waiting an hour; the other two events are not yet deliveries.
    await eventually(async () => (await deliveriesOn(service, tenantId, webhookId)).filter((delivery) => delivery.attempts === 1).length === 2, 'two attempts', 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deliveries = await deliveriesOn(service, tenantId, webhookId);
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts, delivery.lastStatus])).toEqual([
      ['pending', 1, 503],
      ['pending', 1, 503],
    ]);
    expect(receiver.received).toHaveLength(2);
  });

  it('fails a delivery whose event retention purged before its retry, and sends nothing for it', async () => {
    roster = await startRosterOn(database.options, webhooks({ retryDelaysMs: [1500] }));
    receiver.answer = () => 503;
    const { tenantId, webhookId, token } = await setUp(receiver.url());
    const service = roster;
    expect((await service.http.request('PATCH', `/admin/tenants/${tenantId}`, { token: TEST_ADMIN_TOKEN, body: { settings: { retentionDays: 30 } } })).status).toBe(200);
    expect((await usersApi(service, token).create({ userName: 'purged@example.com' })).status).toBe(201);
    await eventually(async () => (await deliveriesOn(service, tenantId, webhookId))[0]?.attempts === 1, 'the first attempt', 5000);
    receiver.answer = () => 200;
    const dataSource = service.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
    const aged = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await dataSource.query(`UPDATE events SET occurred_at = ${kind === 'postgres' ? '$1' : '?'}`, [aged]);
    expect((await service.app.get(EventsRetention).purge(new Date())).events).toBeGreaterThan(0);
    const [failed] = await eventually(async () => {
      const deliveries = await deliveriesOn(service, tenantId, webhookId);
      return deliveries[0]?.status === 'failed' && deliveries;
    }, 'the retry', 8000);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, lastError: 'the event is no longer retained' });
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers after a restart what failed before it (at least once)', async () => {
    roster = await startRosterOn(database.options, webhooks({ retryDelaysMs: [1500] }));
    const { tenantId, webhookId, token } = await setUp(receiver.url());
    receiver.answer = () => 500;
    expect((await usersApi(roster, token).create({ userName: 'survivor@example.com' })).status).toBe(201);
    await eventually(async () => (await deliveriesOn(roster as RosterHarness, tenantId, webhookId))[0]?.attempts === 1, 'the failed first attempt');
    await roster.close();
    roster = undefined;

    receiver.answer = () => 200;
    roster = await startRosterOn(database.options, webhooks({ retryDelaysMs: [1500] }));
    const [row] = await eventually(async () => {
      const rows = await deliveriesOn(roster as RosterHarness, tenantId, webhookId);
      return rows[0]?.status === 'succeeded' && rows;
    }, 'the delivery after the restart');
    expect(row).toMatchObject({ attempts: 2, lastStatus: 200 });
    expect(receiver.received.map((webhook) => JSON.parse(webhook.body).data)).toHaveLength(2);
    expect(new Set(receiver.received.map((webhook) => webhook.headers['webhook-id'])).size).toBe(1);
  });

  it('gives its leases back when it stops, so the next process sends at once instead of waiting for them to run out', async () => {
    // The lease is 2 × timeout + 2 s = 22 s here; the redelivery must come long before.
    roster = await startRosterOn(database.options, webhooks({ timeoutMs: 10_000 }));
    const { tenantId, webhookId, token } = await setUp(receiver.url());
    receiver.answer = () => 'hang';
    expect((await usersApi(roster, token).create({ userName: 'leased@example.com' })).status).toBe(201);
    await eventually(() => receiver.received.length === 1, 'the attempt under way');
    await roster.close();
    roster = undefined;

    receiver.answer = () => 200;
    const restarted = Date.now();
    roster = await startRosterOn(database.options, webhooks({ timeoutMs: 10_000 }));
    await eventually(async () => (await deliveriesOn(roster as RosterHarness, tenantId, webhookId))[0]?.status === 'succeeded', 'the redelivery', 8000);
    expect(Date.now() - restarted).toBeLessThan(8000);
    expect(receiver.received).toHaveLength(2);
  });

  it('checks the address it connects to when sending: a name that resolves to loopback is refused once private targets are not allowed', async () => {
    roster = await startRosterOn(database.options, webhooks({}));
    // Saved while private targets were allowed (a development setting later turned off).
    const { tenantId, webhookId, token } = await setUp(`http://localhost:${receiver.port}/hook`);
    await roster.close();
    let connections = 0;
    roster = await startRosterOn(database.options, webhooks({ allowPrivateTargets: false, retryDelaysMs: [] }));
    receiver.onConnection(() => (connections += 1));
    expect((await usersApi(roster, token).create({ userName: 'ssrf@example.com' })).status).toBe(201);
    const [row] = await eventually(async () => {
      const rows = await deliveriesOn(roster as RosterHarness, tenantId, webhookId);
      return rows[0]?.status === 'failed' && rows;
    }, 'the refused delivery');
    expect(row.lastError).toMatch(/localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
    expect(row.lastStatus).toBeNull();
    expect(connections).toBe(0);
    expect(receiver.received).toEqual([]);
    // And new endpoints on private addresses are refused when saved.
    for (const url of ['http://hooks.example.com/', 'https://127.0.0.1/', 'https://10.1.2.3/', 'https://[::1]/', 'https://169.254.169.254/latest', 'https://localhost/', 'https://[::ffff:192.168.0.1]/', 'https://0x7f000001/']) {
      const refused = await roster.http.post<{ scimType: string }>(`/admin/tenants/${tenantId}/webhooks`, { token: TEST_ADMIN_TOKEN, body: { url } });
      expect([url, refused.status, refused.body.scimType]).toEqual([url, 400, 'invalidValue']);
    }
  });
});
