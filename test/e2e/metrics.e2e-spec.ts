import { MAX_PIECE_CHARS } from '../../src/modules/metrics/text-pieces.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Prometheus text format, just enough of it: `name{a="b",…} value` lines, comments skipped. */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

describe.each(databaseKinds())('GET /metrics on %s', (kind) => {
  let roster: RosterHarness;
  let token: string;
  let tenantId: string;
  let userId: string;

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    token = await requestAccessToken(roster.http, connection);
    const created = await roster.http.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'metrics.alice' } });
    expect(created.status).toBe(201);
    userId = created.body.id;
    expect((await roster.http.get(`/scim/v2/Users/${userId}`, { token })).status).toBe(200);
    expect((await roster.http.get('/scim/v2/Users?filter=userName%20eq%20%22metrics.alice%22', { token })).status).toBe(200);
    expect((await roster.http.get('/scim/v2/Users/no-such-user-4711', { token })).status).toBe(404);
    expect((await roster.http.get('/nowhere/at-all-4712')).status).toBe(404);
    const bulk = await roster.http.post('/scim/v2/Bulk', {
      token,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'b1', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'metrics.bob' } },
          { method: 'PATCH', path: '/Users/no-such-user-4713', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] } },
        ],
      },
    });
    expect(bulk.status).toBe(200);

    // A tenant allowed one read a second: its second read in a row is refused.
    const slow = await roster.http.post<{ id: string }>('/admin/tenants', {
      token: TEST_ADMIN_TOKEN,
      body: { name: 'Slow tenant', settings: { rateLimits: { readPerSecond: 1 } } },
    });
    const slowConnection = await roster.http.post<{ id: string; clientId: string; clientSecret: string }>(`/admin/tenants/${slow.body.id}/connections`, {
      token: TEST_ADMIN_TOKEN,
      body: { name: 'IdP', scopes: ['scim.read'] },
    });
    const slowToken = await requestAccessToken(roster.http, { ...slowConnection.body, tenantId: slow.body.id, connectionId: slowConnection.body.id });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await roster.http.get('/scim/v2/Users', { token: slowToken })).status);
    expect(statuses).toContain(429);
  });
  afterAll(() => roster.close());

  it('answers Prometheus text without a token', async () => {
    const response = await roster.http.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toContain('# TYPE roster_http_requests_total counter');
  });

  it('counts HTTP requests by route template, method and status, with a latency histogram', async () => {
    const samples = parseSamples((await roster.http.get('/metrics')).text);
    expect(valueOf(samples, 'roster_http_requests_total', { route: '/scim/v2/Users/:id', method: 'GET', status: '200' })).toBe(1);
    expect(valueOf(samples, 'roster_http_requests_total', { route: '/scim/v2/Users/:id', method: 'GET', status: '404' })).toBe(1);
    expect(valueOf(samples, 'roster_http_requests_total', { route: '/scim/v2/Users', method: 'POST', status: '201' })).toBe(1);
    expect(valueOf(samples, 'roster_http_requests_total', { route: '/admin/tenants/:tenantId/connections', method: 'POST', status: '201' })).toBe(2);
    expect(valueOf(samples, 'roster_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(valueOf(samples, 'roster_http_request_duration_seconds_count', { route: '/scim/v2/Users/:id', method: 'GET' })).toBe(2);
    expect(valueOf(samples, 'roster_http_request_duration_seconds_bucket', { route: '/scim/v2/Users/:id', method: 'GET', le: '+Inf' })).toBe(2);
  });

  it('counts SCIM operations by resource type, operation and outcome, bulk operations each', async () => {
    const samples = parseSamples((await roster.http.get('/metrics')).text);
    const scim = (labels: Record<string, string>) => valueOf(samples, 'roster_scim_operations_total', labels);
    expect(scim({ resource_type: 'User', operation: 'create', outcome: 'success' })).toBe(2);
    expect(scim({ resource_type: 'User', operation: 'get', outcome: 'success' })).toBe(1);
    expect(scim({ resource_type: 'User', operation: 'get', outcome: 'not_found' })).toBe(1);
    expect(scim({ resource_type: 'User', operation: 'list', outcome: 'success' })).toBeGreaterThanOrEqual(2);
    expect(scim({ resource_type: 'User', operation: 'list', outcome: 'rate_limited' })).toBeGreaterThanOrEqual(1);
    expect(scim({ resource_type: 'User', operation: 'patch', outcome: 'not_found' })).toBe(1);
    expect(scim({ resource_type: 'Bulk', operation: 'bulk', outcome: 'success' })).toBe(1);
  });

  it('counts rate-limited requests by the limit they hit', async () => {
    const samples = parseSamples((await roster.http.get('/metrics')).text);
    expect(valueOf(samples, 'roster_rate_limited_requests_total', { limit: 'scim_read' })).toBeGreaterThanOrEqual(1);
  });

  it('reports the database pool and the process defaults', async () => {
    const samples = parseSamples((await roster.http.get('/metrics')).text);
    expect(valueOf(samples, 'roster_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'roster_db_pool_max_connections', {})).toBe(kind === 'postgres' ? 10 : 1);
    if (kind === 'postgres') expect(valueOf(samples, 'roster_db_pool_connections', { state: 'idle' })).toBeDefined();
    expect(valueOf(samples, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds', {})).toBeDefined();
  });

  it('sends a scrape of many pieces whole: every series once, each histogram complete', async () => {
    // Every method on every SCIM path, unauthenticated: a route histogram for each that exists.
    const paths = ['Users', 'Users/{id}', 'Users/.search', 'Groups', 'Groups/{id}', 'Groups/.search', 'Libraries', 'Libraries/{id}', 'Libraries/.search', '.search', 'Bulk', 'Me', 'Schemas', 'ResourceTypes'];
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) await roster.http.request(method, `/scim/v2/${path.replace('{id}', 'no-such-id-4714')}`, {});
    }
    const response = await roster.http.get('/metrics');
    expect(response.status).toBe(200);
    // Several pieces' worth (the test's own requests alone make ~70 KB).
    expect(response.text.length).toBeGreaterThan(2 * MAX_PIECE_CHARS);
    expect(response.text.endsWith('\n')).toBe(true);
    // The pieces' bytes counted right: the whole answer, as when it was sent as one string.
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(response.text)));
    const samples = parseSamples(response.text);
    expect(new Set(samples.map((sample) => `${sample.name}${JSON.stringify(sample.labels)}`)).size).toBe(samples.length);
    const histograms = new Map<string, Sample[]>();
    for (const sample of samples.filter((one) => one.name.startsWith('roster_http_request_duration_seconds'))) {
      const key = `${sample.labels.method} ${sample.labels.route}`;
      histograms.set(key, [...(histograms.get(key) ?? []), sample]);
    }
    expect(histograms.size).toBeGreaterThan(30);
    for (const [key, lines] of histograms) {
      const count = lines.find((line) => line.name.endsWith('_count'))?.value;
      expect([key, lines.length, lines.find((line) => line.labels.le === '+Inf')?.value]).toEqual([key, 16, count]);
    }
  });

  it('never puts an id, a tenant or a raw URL in a label', async () => {
    const samples = parseSamples((await roster.http.get('/metrics')).text);
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    for (const secret of [userId, tenantId, 'no-such-user-4711', 'at-all-4712', 'no-such-user-4713', 'metrics.alice', 'filter']) {
      expect(labelValues.filter((value) => value.includes(secret))).toEqual([]);
    }
    expect(new Set(samples.filter((s) => s.name === 'roster_http_requests_total').map((s) => s.labels.tenant))).toEqual(new Set([undefined]));
  });
});
