import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import { createRosterLogger } from '../../src/logging/roster-logger.js';
import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { expectStatus, librariesAdmin } from '../support/scim-libraries.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** Everything the service's logger writes, as the JSON lines it would put on stdout. */
class CapturedLog {
  readonly chunks: string[] = [];
  write(chunk: string): void {
    this.chunks.push(chunk);
  }
  get text(): string {
    return this.chunks.join('');
  }
  lines(): LogLine[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  }
  requestLine(requestId: string): LogLine | undefined {
    return this.lines().find((line) => line.msg === 'request' && line.requestId === requestId);
  }
}

describe.each(databaseKinds())('logs on %s', (kind) => {
  const log = new CapturedLog();
  let roster: RosterHarness;
  let connection: CreatedConnection;
  let token: string;

  beforeAll(async () => {
    roster = await startRoster(kind, { logLevel: 'debug' }, createRosterLogger('debug', log));
    connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
  });
  afterAll(() => roster.close());

  it('writes one JSON line per request with request id, tenant, connection, route template, status and duration', async () => {
    const created = await roster.http.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: [USER], userName: 'log.alice' } });
    const response = await roster.http.get(`/scim/v2/Users/${created.body.id}`, { token });
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(UUID);
    const lines = log.lines().filter((line) => line.requestId === requestId && line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      tenant: connection.tenantId,
      connection: connection.connectionId,
      method: 'GET',
      route: '/scim/v2/Users/:id',
      status: 200,
      clientIp: '127.0.0.1',
    });
    expect(typeof lines[0]?.durationMs).toBe('number');
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('names the tenant of an admin request from its path', async () => {
    const response = await roster.http.get(`/admin/tenants/${connection.tenantId}/connections`, { token: TEST_ADMIN_TOKEN });
    expect(log.requestLine(response.headers.get('x-request-id') ?? '')).toMatchObject({
      tenant: connection.tenantId,
      route: '/admin/tenants/:tenantId/connections',
      status: 200,
    });
  });

  it('echoes a fresh X-Request-Id on every answer and ignores one a client sends without TRUST_PROXY', async () => {
    const answers = await Promise.all([
      roster.http.get('/health/live'),
      roster.http.get('/nowhere'),
      roster.http.get('/scim/v2/Users'),
      roster.http.get('/scim/v2/Users', { token, headers: { 'x-request-id': 'client-chosen-id' } }),
    ]);
    const ids = answers.map((answer) => answer.headers.get('x-request-id'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 404, 401, 200]);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps every secret out of the log: headers, token and SCIM bodies, admin answers', async () => {
    const secrets: string[] = [token, 'session=cookie-secret-4711', connection.clientSecret];
    // Basic credentials, then form credentials, at the token endpoint.
    const basic = Buffer.from(`${connection.clientId}:${connection.clientSecret}`).toString('base64');
    secrets.push(basic);
    const viaBasic = await roster.http.post<{ access_token: string }>('/oauth/token', {
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'grant_type=client_credentials',
    });
    expect(viaBasic.status).toBe(200);
    secrets.push(viaBasic.body.access_token);
    const viaJson = await roster.http.post<{ access_token: string }>('/oauth/token', {
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify({ grant_type: 'client_credentials', client_id: connection.clientId, client_secret: connection.clientSecret }),
    });
    expect(viaJson.status).toBe(200);
    secrets.push(viaJson.body.access_token);

    // Passwords in SCIM bodies: POST, PUT, PATCH with a path and path-less.
    const created = await roster.http.post<{ id: string }>('/scim/v2/Users', {
      token,
      headers: { cookie: 'session=cookie-secret-4711' },
      body: { schemas: [USER], userName: 'log.bob', password: 'Password-on-POST-1' },
    });
    expect(created.status).toBe(201);
    secrets.push('Password-on-POST-1');
    const put = await roster.http.request('PUT', `/scim/v2/Users/${created.body.id}`, {
      token,
      body: { schemas: [USER], userName: 'log.bob', password: 'Password-on-PUT-2' },
    });
    expect(put.status).toBe(200);
    secrets.push('Password-on-PUT-2');
    const patched = await roster.http.patch(`/scim/v2/Users/${created.body.id}`, {
      token,
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'password', value: 'Password-on-PATCH-3' },
          { op: 'replace', value: { password: 'Password-on-PATCH-4' } },
        ],
      },
    });
    expect(patched.status).toBe(200);
    secrets.push('Password-on-PATCH-3', 'Password-on-PATCH-4');

    // Secrets in admin answers: a connection's client secret, a secret token.
    const another = await roster.http.post<{ id: string; clientSecret: string }>(`/admin/tenants/${connection.tenantId}/connections`, {
      token: TEST_ADMIN_TOKEN,
      body: { name: 'Second IdP', scopes: ['scim.read'] },
    });
    expect(another.status).toBe(201);
    secrets.push(another.body.clientSecret);
    const minted = await roster.http.post<{ token: string }>(`/admin/tenants/${connection.tenantId}/connections/${another.body.id}/tokens`, {
      token: TEST_ADMIN_TOKEN,
      body: { expiresInDays: 1 },
    });
    expect(minted.status).toBe(201);
    secrets.push(minted.body.token, TEST_ADMIN_TOKEN);

    const output = log.text;
    for (const secret of secrets) expect(output.includes(secret) ? secret : 'absent').toBe('absent');
    // Not vacuous: the debug lines did carry those headers and bodies, redacted.
    const mint = log.requestLine(minted.headers.get('x-request-id') ?? '');
    expect(mint).toMatchObject({ route: '/admin/tenants/:tenantId/connections/:connectionId/tokens', response: { body: { token: '[Redacted]' } } });
    expect(log.requestLine(patched.headers.get('x-request-id') ?? '')).toMatchObject({
      request: { headers: { authorization: '[Redacted]' }, body: { Operations: [{ path: 'password', value: '[Redacted]' }, { value: { password: '[Redacted]' } }] } },
    });
    expect(log.requestLine(created.headers.get('x-request-id') ?? '')).toMatchObject({ request: { headers: { cookie: '[Redacted]' } } });
  });

  it('logs the cause of a 500 under the request id the answer quotes', async () => {
    const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
    // A library to list, so the page is read from the table (an empty tenant's count answers alone).
    expectStatus(await librariesAdmin(roster, connection.tenantId).create({ displayName: 'Handbook' }), 201);
    await dataSource.query('ALTER TABLE libraries RENAME TO libraries_away');
    try {
      const response = await roster.http.get<{ detail: string }>('/scim/v2/Libraries', { token });
      expect(response.status).toBe(500);
      const requestId = response.headers.get('x-request-id') ?? '';
      expect(response.body.detail).toContain(requestId);
      const cause = log.lines().find((line) => line.level === 'error' && line.requestId === requestId);
      expect(cause).toMatchObject({ msg: 'unhandled error', route: '/scim/v2/Libraries', err: { type: 'QueryFailedError' } });
      expect(JSON.stringify(cause)).toMatch(/libraries/);
      expect(log.requestLine(requestId)).toMatchObject({ status: 500 });
    } finally {
      await dataSource.query('ALTER TABLE libraries_away RENAME TO libraries');
    }
  });
});

describe('request ids behind TRUST_PROXY', () => {
  let roster: RosterHarness;
  beforeAll(async () => {
    roster = await startRoster('sqlite', { trustProxy: { kind: 'cidrs', cidrs: ['127.0.0.1/32'] } });
  });
  afterAll(() => roster.close());

  it("takes the proxy's X-Request-Id and echoes it", async () => {
    const response = await roster.http.get('/health/live', { headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(response.headers.get('x-request-id')).toBe('lb-7f3a.42');
  });

  it('replaces one that could forge log fields', async () => {
    const response = await roster.http.get('/health/live', { headers: { 'x-request-id': 'a" b' } });
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });
});
