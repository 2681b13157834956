import { Webhook } from 'standardwebhooks';
import { DEFAULT_OPTIONS, type RosterOptions } from '../../src/config/roster-options.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { type EventJson, pullAll, tableText } from '../support/events.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { patchOp, usersApi, type UsersApi } from '../support/scim-users.js';
import { eventually, type ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver.js';

interface WebhookJson {
  id: string;
  url: string;
  types: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  secret?: string;
}

interface DeliveryJson {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

/** Fast schedules, so that retries and timeouts happen within a test. */
export const FAST_WEBHOOKS: RosterOptions['webhooks'] = { ...DEFAULT_OPTIONS.webhooks, allowPrivateTargets: true, pollMs: 40, timeoutMs: 1500, retryDelaysMs: [150, 300] };

const headersOf = (webhook: ReceivedWebhook): Record<string, string> => ({
  'webhook-id': String(webhook.headers['webhook-id']),
  'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
  'webhook-signature': String(webhook.headers['webhook-signature']),
});

describe.each(databaseKinds())('Webhooks on %s', (kind) => {
  let roster: RosterHarness;
  let receiver: WebhookReceiver;
  let tenantId: string;
  let users: UsersApi;
  let paths = 0;

  const admin = <T>(method: string, path: string, body?: unknown, tenant = tenantId) =>
    roster.http.request<T>(method, `/admin/tenants/${tenant}${path}`, { token: TEST_ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });
  /** A new endpoint on its own receiver path. */
  const endpoint = async (body: Record<string, unknown> = {}, tenant = tenantId): Promise<WebhookJson & { path: string }> => {
    paths += 1;
    const path = `/hook-${paths}`;
    const created = await admin<WebhookJson>('POST', '/webhooks', { url: receiver.url(path), ...body }, tenant);
    expect(created.status).toBe(201);
    return { ...created.body, path };
  };
  const deliveries = async (webhookId: string): Promise<DeliveryJson[]> => {
    const page = await admin<{ data: DeliveryJson[] }>('GET', `/webhooks/${webhookId}/deliveries`);
    expect(page.status).toBe(200);
    return page.body.data;
  };
  const createUser = async (userName: string, roles?: string[]): Promise<string> => {
    const created = await users.create({ userName, ...(roles === undefined ? {} : { roles }) });
    expect(created.status).toBe(201);
    return created.body.id;
  };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    roster = await startRoster(kind, { webhooks: FAST_WEBHOOKS });
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    users = usersApi(roster, await requestAccessToken(roster.http, connection));
  });
  afterAll(async () => {
    await roster.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.answer = () => 200;
  });

  describe('endpoints', () => {
    it('shows the whsec_ secret once, stores what was asked, and lists endpoints without it', async () => {
      const created = await admin<WebhookJson>('POST', '/webhooks', { url: receiver.url('/crud'), types: ['user.deleted', 'user.deactivated', 'user.deleted'], description: 'sessions' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ url: receiver.url('/crud'), types: ['user.deactivated', 'user.deleted'], description: 'sessions', enabled: true, disabledReason: null, previousSecretExpiresAt: null });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

      const read = await admin<WebhookJson>('GET', `/webhooks/${created.body.id}`);
      const list = await admin<WebhookJson[]>('GET', '/webhooks');
      expect(read.body).toEqual({ ...created.body, secret: undefined, createdAt: expect.any(String), updatedAt: expect.any(String) });
      expect(read.text).not.toContain('secret":');
      expect(list.body.map((webhook) => webhook.id)).toContain(created.body.id);
      expect(list.text).not.toContain(created.body.secret);

      const changed = await admin<WebhookJson>('PATCH', `/webhooks/${created.body.id}`, { types: [], description: null, url: receiver.url('/crud2') });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ types: [], description: null, url: receiver.url('/crud2') });

      expect((await admin('DELETE', `/webhooks/${created.body.id}`)).status).toBe(204);
      expect((await admin('GET', `/webhooks/${created.body.id}`)).status).toBe(404);
    });

    it.each([
      [{ url: 'ftp://hooks.example.com/x' }, 'http:// or https://'],
      [{ url: 'not a url' }, 'absolute URL'],
      [{ url: 'https://user:pw@hooks.example.com/' }, 'credentials'],
      [{ url: 'https://hooks.example.com/', types: ['user.exploded'] }, 'user.exploded'],
      [{ url: 'https://hooks.example.com/', types: 'user.created' }, 'types'],
      [{ url: 'https://hooks.example.com/', secret: 'whsec_mine' }, 'secret'],
      [{}, 'url'],
    ] as [Record<string, unknown>, string][])('refuses %j with 400 invalidValue', async (body, detail) => {
      const refused = await admin<{ scimType: string; detail: string }>('POST', '/webhooks', body);
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toContain(detail);
      expect((await admin<WebhookJson[]>('GET', '/webhooks')).body.map((webhook) => webhook.url)).not.toContain(body.url);
    });

    it("keeps another tenant's endpoints and deliveries out of reach (404)", async () => {
      const other = await createTenantWithConnection(roster.http);
      const theirs = await endpoint({}, other.tenantId);
      expect((await admin('GET', `/webhooks/${theirs.id}`)).status).toBe(404);
      expect((await admin('PATCH', `/webhooks/${theirs.id}`, { enabled: false })).status).toBe(404);
      expect((await admin('GET', `/webhooks/${theirs.id}/deliveries`)).status).toBe(404);
      expect((await admin('DELETE', `/webhooks/${theirs.id}`)).status).toBe(404);
      expect((await admin<WebhookJson>('GET', `/webhooks/${theirs.id}`, undefined, other.tenantId)).body.enabled).toBe(true);
      // Our users' events never reach their endpoint.
      await createUser('isolated@example.com');
      const ours = await endpoint();
      await createUser('isolated2@example.com');
      await eventually(() => receiver.on(ours.path).length > 0, 'our delivery');
      expect(receiver.on(theirs.path)).toEqual([]);
    });
  });

  describe('deliveries', () => {
    it('sends each event as the pull API shows it, signed per Standard Webhooks 1.0 (verified with the library)', async () => {
      const hook = await endpoint();
      const { cursor } = await pullAll(roster, tenantId);
      const id = await createUser('signed@example.com', ['writer']);
      const events = (await pullAll(roster, tenantId, cursor ?? undefined)).events;
      expect(events.map((event) => event.type)).toEqual(['user.created', 'user.access_changed']);
      const got = await eventually(() => receiver.on(hook.path).length >= 2 && receiver.on(hook.path), 'two webhooks');

      const verifier = new Webhook(hook.secret ?? '');
      const payloads = got.map((webhook) => verifier.verify(webhook.body, headersOf(webhook)) as EventJson);
      expect(payloads.map((payload) => payload.id).sort()).toEqual(events.map((event) => event.id).sort());
      expect(payloads.find((payload) => payload.type === 'user.created')).toEqual(events[0]);
      expect(events[0].resource.id).toBe(id);
      for (const webhook of got) {
        expect(webhook.headers['content-type']).toBe('application/json');
        expect(webhook.headers['webhook-id']).toBe(JSON.parse(webhook.body).id);
        expect(Math.abs(Number(webhook.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      }
      // A tampered body fails verification: the signature covers it.
      expect(() => verifier.verify(got[0].body.replace('"tenantId"', '"tenantID"'), headersOf(got[0]))).toThrow();

      const history = await eventually(async () => {
        const rows = await deliveries(hook.id);
        return rows.length === 2 && rows.every((row) => row.status === 'succeeded') && rows;
      }, 'deliveries recorded as succeeded');
      expect(history.map((row) => [row.eventType, row.attempts, row.lastStatus, row.nextAttemptAt])).toEqual([
        ['user.access_changed', 1, 200, null],
        ['user.created', 1, 200, null],
      ]);
    });

    it('sends only the subscribed types', async () => {
      const hook = await endpoint({ types: ['user.deactivated'] });
      const id = await createUser('filtered@example.com');
      expect((await users.patch(id, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
      const got = await eventually(() => receiver.on(hook.path).length > 0 && receiver.on(hook.path), 'the deactivation');
      await createUser('filtered2@example.com');
      const marker = await endpoint();
      await createUser('filtered3@example.com');
      await eventually(() => receiver.on(marker.path).length >= 1, 'later events elsewhere');
      expect(receiver.on(hook.path).map((webhook) => JSON.parse(webhook.body).type)).toEqual(['user.deactivated']);
      expect(JSON.parse(got[0].body).data).toEqual({ revokeSessions: true });
    });

    it('retries after a 500 with the same webhook-id, and records both attempts', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === hook.path && receiver.on(hook.path).length === 1 ? 500 : 200);
      await createUser('retried@example.com');
      const got = await eventually(() => receiver.on(hook.path).length >= 2 && receiver.on(hook.path), 'the retry');
      expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
      expect(got[1].receivedAt - got[0].receivedAt).toBeGreaterThanOrEqual(140);
      const [row] = await eventually(async () => {
        const rows = await deliveries(hook.id);
        return rows[0]?.status === 'succeeded' && rows;
      }, 'success recorded');
      expect(row).toMatchObject({ attempts: 2, lastStatus: 200, lastError: null, status: 'succeeded' });
    });

    // These two use a receiver of their own: the sockets kept for the shared one also carry the
    // other tests' endpoints, so which socket a delivery gets there is not the test's to say.
    it('keeps its connection to a receiver between deliveries', async () => {
      const own = await WebhookReceiver.start();
      try {
        const hook = await admin<WebhookJson>('POST', '/webhooks', { url: own.url('/kept'), types: ['user.created'] });
        expect(hook.status).toBe(201);
        const ids: string[] = [];
        for (let i = 1; i <= 4; i += 1) {
          ids.push(await createUser(`kept-${i}@example.com`));
          await eventually(() => own.on('/kept').length === i, `delivery ${i}`);
        }
        const got = own.on('/kept');
        expect(got.map((webhook) => JSON.parse(webhook.body).resource.id)).toEqual(ids);
        expect(new Set(got.map((webhook) => webhook.remotePort)).size).toBe(1);
      } finally {
        await own.close();
      }
    });

    it('sends again at once, on a new connection, when the receiver has closed the kept one', async () => {
      const own = await WebhookReceiver.start();
      try {
        const hook = await admin<WebhookJson>('POST', '/webhooks', { url: own.url('/dropping'), types: ['user.created'] });
        expect(hook.status).toBe(201);
        // Every connection answers its first webhook and is closed unanswered on the next, as by
        // a receiver that timed the idle socket out just as the sender picked it up.
        const served = new Set<number>();
        own.answer = (webhook) => {
          if (served.has(webhook.remotePort)) return 'drop';
          served.add(webhook.remotePort);
          return 200;
        };
        const first = await createUser('first-on-socket@example.com');
        await eventually(() => own.received.length === 1, 'the first delivery');
        const second = await createUser('second-on-socket@example.com');
        const got = await eventually(() => own.received.length === 3 && own.received, 'the second delivery, sent twice');
        expect(got.map((webhook) => JSON.parse(webhook.body).resource.id)).toEqual([first, second, second]);
        expect(got[1].remotePort).toBe(got[0].remotePort);
        expect(got[2].remotePort).not.toBe(got[1].remotePort);
        expect(got[2].headers['webhook-id']).toBe(got[1].headers['webhook-id']);
        const rows = await eventually(async () => {
          const listed = await deliveries(hook.body.id);
          return listed.length === 2 && listed.every((row) => row.status === 'succeeded') && listed;
        }, 'both recorded as delivered');
        // One attempt each: the closed socket is not a failed attempt left to the retry schedule.
        expect(rows.map((row) => [row.attempts, row.lastStatus, row.lastError])).toEqual([
          [1, 200, null],
          [1, 200, null],
        ]);
      } finally {
        await own.close();
      }
    });

    it('gives up on a receiver that hangs after the timeout, and tries again', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === hook.path && receiver.on(hook.path).length === 1 ? 'hang' : 200);
      await createUser('hung@example.com');
      const got = await eventually(() => receiver.on(hook.path).length >= 2 && receiver.on(hook.path), 'the attempt after the hang');
      expect(got[1].receivedAt - got[0].receivedAt).toBeGreaterThanOrEqual(1500);
      const [row] = await eventually(async () => {
        const rows = await deliveries(hook.id);
        return rows[0]?.status === 'succeeded' && rows;
      }, 'success recorded');
      expect(row.attempts).toBe(2);
    });

    it('has at most 16 attempts to one endpoint in flight at once, and sends further events as they end', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === hook.path ? 'hang' : 200);
      // Five at a time, so that the events are committed well within one attempt's timeout (1.5 s).
      for (let i = 0; i < 20; i += 5) await Promise.all([0, 1, 2, 3, 4].map((k) => createUser(`busy-${i + k}@example.com`)));
      await eventually(() => receiver.mostHeldAtOnce(hook.path) >= 16, '16 attempts in flight at once');
      // The four others are sent once hanging attempts time out and free their slots.
      await eventually(() => new Set(receiver.on(hook.path).map((webhook) => String(webhook.headers['webhook-id']))).size === 20, 'all 20 events sent');
      expect(receiver.mostHeldAtOnce(hook.path)).toBe(16);
      // Disabling it cancels the retries still pending.
      expect((await admin('PATCH', `/webhooks/${hook.id}`, { enabled: false })).status).toBe(200);
    });

    it('does not follow redirects: a 302 is a failed attempt', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === hook.path ? { redirectTo: receiver.url(`${hook.path}-elsewhere`) } : 200);
      await createUser('redirected@example.com');
      const [row] = await eventually(async () => {
        const rows = await deliveries(hook.id);
        return rows[0]?.status === 'failed' && rows;
      }, 'the delivery to fail', 5000);
      expect(row).toMatchObject({ attempts: 3, lastStatus: 302, nextAttemptAt: null });
      expect(receiver.on(`${hook.path}-elsewhere`)).toEqual([]);
    });

    it('disables an endpoint that answers 410 and sends it nothing more', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === hook.path ? 410 : 200);
      await createUser('gone@example.com');
      const disabled = await eventually(async () => {
        const read = await admin<WebhookJson>('GET', `/webhooks/${hook.id}`);
        return !read.body.enabled && read.body;
      }, 'the endpoint to be disabled');
      expect(disabled.disabledReason).toBe('gone');
      expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 410 });
      await createUser('gone2@example.com');
      const marker = await endpoint({ types: ['user.created'] });
      await createUser('gone3@example.com');
      await eventually(() => receiver.on(marker.path).length > 0, 'a later delivery elsewhere');
      expect(receiver.on(hook.path)).toHaveLength(1);
      // A manual retry of a disabled endpoint's delivery is refused until it is enabled again.
      const [row] = await deliveries(hook.id);
      expect((await admin('POST', `/webhooks/${hook.id}/deliveries/${row.id}/retry`)).status).toBe(409);
    });

    it('retries a failed delivery by hand', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === hook.path ? 503 : 200);
      await createUser('manual@example.com');
      const [failed] = await eventually(async () => {
        const rows = await deliveries(hook.id);
        return rows[0]?.status === 'failed' && rows;
      }, 'the delivery to fail', 5000);
      expect(failed).toMatchObject({ attempts: 3, lastStatus: 503 });
      receiver.answer = () => 200;
      const retried = await admin<DeliveryJson>('POST', `/webhooks/${hook.id}/deliveries/${failed.id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ id: failed.id, status: 'pending' });
      const [row] = await eventually(async () => {
        const rows = await deliveries(hook.id);
        return rows[0]?.status === 'succeeded' && rows;
      }, 'the retried delivery');
      expect(row).toMatchObject({ attempts: 4, lastStatus: 200 });
      expect(receiver.on(hook.path)).toHaveLength(4);
      expect((await admin('POST', `/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`)).status).toBe(404);
    });

    it('signs with both secrets during a rotation grace period, then with the new one only', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      const rotated = await admin<WebhookJson>('POST', `/webhooks/${hook.id}/rotate-secret`, {});
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(hook.secret);
      expect(Date.parse(rotated.body.previousSecretExpiresAt ?? '') - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
      await createUser('rotated@example.com');
      const [during] = await eventually(() => receiver.on(hook.path).length > 0 && receiver.on(hook.path), 'a delivery during the grace period');
      expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(() => new Webhook(rotated.body.secret ?? '').verify(during.body, headersOf(during))).not.toThrow();
      expect(() => new Webhook(hook.secret ?? '').verify(during.body, headersOf(during))).not.toThrow();

      const again = await admin<WebhookJson>('POST', `/webhooks/${hook.id}/rotate-secret`, { gracePeriodSeconds: 0 });
      expect(again.body.previousSecretExpiresAt).toBeNull();
      await createUser('rotated2@example.com');
      const after = await eventually(() => receiver.on(hook.path)[1], 'a delivery after the grace period');
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(() => new Webhook(again.body.secret ?? '').verify(after.body, headersOf(after))).not.toThrow();
      expect(() => new Webhook(rotated.body.secret ?? '').verify(after.body, headersOf(after))).toThrow();
    });

    it('keeps delivering to a healthy endpoint while another one hangs', async () => {
      const stuck = await endpoint({ types: ['user.created'] });
      const healthy = await endpoint({ types: ['user.created'] });
      receiver.answer = (webhook) => (webhook.path === stuck.path ? 'hang' : 200);
      const started = Date.now();
      for (let i = 0; i < 40; i += 1) await createUser(`crowd${i}@example.com`);
      await eventually(() => receiver.on(healthy.path).length >= 40, 'all 40 deliveries to the healthy endpoint', 20_000);
      // The stuck endpoint holds at most its share of attempts at once (16), not every slot.
      const stuckSoFar = receiver.on(stuck.path).filter((webhook) => webhook.receivedAt < started + 1500);
      expect(stuckSoFar.length).toBeLessThanOrEqual(16);
      // Disabling it cancels what it still had pending, attempts under way included.
      await admin('PATCH', `/webhooks/${stuck.id}`, { enabled: false });
      const left = await deliveries(stuck.id);
      expect(left.length).toBeGreaterThan(0);
      expect(left.filter((row) => row.status === 'pending')).toEqual([]);
      expect(left.some((row) => row.status === 'cancelled')).toBe(true);
    });

    it('pages the delivery history, newest event first', async () => {
      const hook = await endpoint({ types: ['user.created'] });
      for (let i = 0; i < 5; i += 1) await createUser(`paged${i}@example.com`);
      await eventually(async () => (await deliveries(hook.id)).filter((row) => row.status === 'succeeded').length === 5, 'five deliveries');
      const first = await admin<{ data: DeliveryJson[]; nextCursor: string }>('GET', `/webhooks/${hook.id}/deliveries?limit=3`);
      const second = await admin<{ data: DeliveryJson[]; nextCursor: string | null }>('GET', `/webhooks/${hook.id}/deliveries?limit=3&before=${first.body.nextCursor}`);
      const all = await deliveries(hook.id);
      expect([...first.body.data, ...second.body.data].map((row) => row.id)).toEqual(all.map((row) => row.id));
      expect(second.body.nextCursor).toBeNull();
      expect((await admin('GET', `/webhooks/${hook.id}/deliveries?before=nonsense`)).status).toBe(400);
    });

    it('never stores or answers a signing secret outside its create and rotate answers', async () => {
      const hook = await endpoint();
      await createUser('secretive@example.com');
      await eventually(() => receiver.on(hook.path).length > 0, 'a delivery');
      const secret = hook.secret ?? '';
      for (const table of ['events', 'audit_entries', 'webhook_deliveries']) expect(await tableText(roster, table)).not.toContain(secret.slice(6));
      expect(receiver.on(hook.path).map((webhook) => webhook.body).join('')).not.toContain(secret.slice(6));
      const metrics = await roster.http.get('/metrics');
      expect(metrics.text).toMatch(/roster_webhook_deliveries_total\{outcome="succeeded"\} [1-9]/);
      expect(metrics.text).toMatch(/roster_webhook_delivery_lag_seconds_count [1-9]/);
      expect(metrics.text).toMatch(/roster_webhook_deliveries_pending \d+/);
    });
  });
});
