import { directRouteUrls } from '../../src/http/direct-routes.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startRosterOn, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA } from '../support/scim-groups.js';
import { ACCESS_USER, librariesAdmin } from '../support/scim-libraries.js';
import { ENTERPRISE, USER_SCHEMA } from '../support/scim-users.js';

/** What may differ between two answers to the same request: when, which request, and how much of the rate-limit window is left. */
const PER_REQUEST_HEADERS = new Set(['date', 'x-request-id', 'x-ratelimit-remaining', 'connection', 'keep-alive']);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

async function send(baseUrl: string, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(baseUrl + path, { method, headers });
  const kept = [...response.headers].filter(([name]) => !PER_REQUEST_HEADERS.has(name));
  return { status: response.status, headers: Object.fromEntries(kept), text: await response.text() };
}

/**
 * The direct reads (src/http/direct-routes.ts) answer GET of a user or a library by id and the
 * admin access endpoint without Nest's guards and interceptors. Two services on one database,
 * one with them and one without (`directReads: false`), must answer every request alike: status,
 * headers and body to the byte, successes and every kind of refusal (which the direct reads hand
 * to the Nest route).
 */
describe.each(databaseKinds())('direct reads on %s', (kind) => {
  let database: TestDatabase;
  let direct: RosterHarness;
  let nest: RosterHarness;
  let tenantId: string;
  let token: string;
  let userId: string;
  let inactiveId: string;
  let libraryId: string;
  let groupId: string;
  let otherTenantUserId: string;
  const keys: Record<string, string> = {};

  const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });

  /** The same request to both services; their answers must be equal, and this one is returned. */
  async function alike(path: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
    const fromDirect = await send(direct.baseUrl, method, path, headers);
    const fromNest = await send(nest.baseUrl, method, path, headers);
    expect(fromDirect).toEqual(fromNest);
    return fromDirect;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    direct = await startRosterOn(database.options);
    nest = await startRosterOn(database.options, { directReads: false });
    const connection = await createTenantWithConnection(direct.http);
    tenantId = connection.tenantId;
    token = await requestAccessToken(direct.http, connection);
    const library = await librariesAdmin(direct, tenantId).add('Handbooks "2026"');
    libraryId = library.id;
    const created = await direct.http.post<{ id: string }>('/scim/v2/Users', {
      token,
      body: {
        schemas: [USER_SCHEMA, ENTERPRISE, ACCESS_USER],
        userName: 'direct.alice@example.com',
        name: { givenName: 'Alice', familyName: 'Émile "Q"' },
        emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
        active: true,
        roles: [{ value: 'writer' }],
        [ENTERPRISE]: { department: 'R&D' },
        [ACCESS_USER]: { libraries: [libraryId] },
      },
    });
    expect(created.status).toBe(201);
    userId = created.body.id;
    const inactive = await direct.http.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: [USER_SCHEMA], userName: 'direct.bob@example.com', active: false } });
    inactiveId = inactive.body.id;
    const group = await direct.http.post<{ id: string }>('/scim/v2/Groups', { token, body: { schemas: [GROUP_SCHEMA], displayName: 'readers', members: [{ value: userId }] } });
    groupId = group.body.id;
    const other = await createTenantWithConnection(direct.http);
    const otherToken = await requestAccessToken(direct.http, other);
    otherTenantUserId = (await direct.http.post<{ id: string }>('/scim/v2/Users', { token: otherToken, body: { schemas: [USER_SCHEMA], userName: 'other@example.com' } })).body.id;
    const mint = async (name: string, scopes: string[], boundTo?: string) => {
      const minted = await direct.http.post<{ key: string }>('/admin/keys', { token: TEST_ADMIN_TOKEN, body: { name, scopes, ...(boundTo ? { tenantId: boundTo } : {}) } });
      expect(minted.status).toBe(201);
      return minted.body.key;
    };
    keys.access = await mint('access', ['access:read']);
    keys.writeOnly = await mint('write', ['admin:write']);
    keys.boundElsewhere = await mint('bound', ['access:read'], other.tenantId);
    keys.boundHere = await mint('bound here', ['admin:read'], tenantId);
  });
  afterAll(async () => {
    await direct?.close();
    await nest?.close();
    await database?.drop();
  });

  it('wraps the routes it serves, and no other', () => {
    const wrapped = [...directRouteUrls(direct.app.getHttpAdapter().getInstance())].sort();
    // Not /Groups/{id}: a group's members may be streamed, which only the Nest route sends.
    expect(wrapped).toEqual([
      '/admin/tenants/:tenantId/users/:userId/access',
      '/scim/v2/Groups',
      '/scim/v2/Libraries',
      '/scim/v2/Libraries/:id',
      '/scim/v2/Users',
      '/scim/v2/Users/:id',
    ]);
    expect(directRouteUrls(nest.app.getHttpAdapter().getInstance())).toEqual([]);
  });

  it('answers a user, with its groups, grants and extensions, as the Nest route does', async () => {
    const answer = await alike(`/scim/v2/Users/${userId}`, bearer(token));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(answer.headers['x-ratelimit-limit']).toBeDefined();
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    expect(body).toMatchObject({ id: userId, userName: 'direct.alice@example.com', groups: [{ value: groupId, display: 'readers' }], [ENTERPRISE]: { department: 'R&D' } });
    expect(answer.headers.etag).toMatch(/^W\/"\d+"$/);
    await alike(`/scim/v2/Users/${inactiveId}`, bearer(token));
  });

  it('projects and honours If-None-Match alike', async () => {
    await alike(`/scim/v2/Users/${userId}?attributes=userName,emails.value`, bearer(token));
    await alike(`/scim/v2/Users/${userId}?excludedAttributes=groups,${encodeURIComponent(ENTERPRISE)}`, bearer(token));
    const etag = (await alike(`/scim/v2/Users/${userId}`, bearer(token))).headers.etag ?? '';
    expect((await alike(`/scim/v2/Users/${userId}`, { ...bearer(token), 'if-none-match': etag })).status).toBe(304);
    expect((await alike(`/scim/v2/Users/${userId}`, { ...bearer(token), 'if-none-match': 'W/"999999"' })).status).toBe(200);
  });

  it('answers a library by id alike, and a group (served by Nest on both)', async () => {
    expect((await alike(`/scim/v2/Libraries/${libraryId}`, bearer(token))).status).toBe(200);
    expect((await alike(`/scim/v2/Groups/${groupId}`, bearer(token))).status).toBe(200);
  });

  it('answers lists and filters alike, on every type, and refuses bad ones alike', async () => {
    const filter = (text: string) => `filter=${encodeURIComponent(text)}`;
    const lists: [string, number][] = [
      ['/scim/v2/Users', 200],
      [`/scim/v2/Users?${filter('userName eq "DIRECT.alice@example.com"')}`, 200],
      [`/scim/v2/Users?${filter('emails[type eq "work"].value eq "alice@example.com"')}&attributes=userName`, 200],
      [`/scim/v2/Users?${filter('userName eq "nobody@example.com"')}`, 200],
      ['/scim/v2/Users?count=1&startIndex=2&sortBy=userName&sortOrder=descending', 200],
      ['/scim/v2/Users?count=1&cursor', 200],
      ['/scim/v2/Users?excludedAttributes=groups&count=0', 200],
      ['/scim/v2/Groups', 200],
      [`/scim/v2/Groups?${filter('displayName eq "readers"')}&excludedAttributes=members`, 200],
      ['/scim/v2/Libraries', 200],
      [`/scim/v2/Users?${filter('userName zz "x"')}`, 400],
      ['/scim/v2/Users?count=1&count=2', 400],
      ['/scim/v2/Users?sortBy=nosuch%20attr', 400],
    ];
    for (const [path, status] of lists) {
      const answer = await alike(path, bearer(token));
      expect({ path, status: answer.status }).toEqual({ path, status });
    }
    const found = JSON.parse((await alike(`/scim/v2/Users?${filter('userName eq "DIRECT.alice@example.com"')}`, bearer(token))).text) as { totalResults: number };
    expect(found.totalResults).toBe(1);
    expect((await alike('/scim/v2/Users', {})).status).toBe(401);
  });

  it('hands every refusal to the Nest route: the same status, scimType, detail and headers', async () => {
    const refusals: [string, Record<string, string>, number][] = [
      [`/scim/v2/Users/${userId}`, {}, 401],
      [`/scim/v2/Users/${userId}`, bearer('not-a-token'), 401],
      [`/scim/v2/Users/${userId}`, { authorization: `Bearer  ${token}` }, 401],
      [`/scim/v2/Users/${userId}`, { authorization: `Basic ${token}` }, 401],
      [`/scim/v2/Users/${otherTenantUserId}`, bearer(token), 404],
      [`/scim/v2/Users/00000000-0000-4000-8000-000000000000`, bearer(token), 404],
      [`/scim/v2/Users/${'x'.repeat(300)}`, bearer(token), 404],
      [`/scim/v2/Users/${userId}?attributes=${encodeURIComponent('bad attribute!')}`, bearer(token), 400],
      [`/scim/v2/Libraries/${userId}`, bearer(token), 404],
    ];
    for (const [path, headers, status] of refusals) {
      const answer = await alike(path, headers);
      expect({ path, status: answer.status }).toEqual({ path, status });
    }
  });

  it('refuses alike a token without scim.read and an address outside the allowlist', async () => {
    const writeOnly = await createTenantWithConnection(direct.http, { scopes: ['scim.write'] });
    const writeToken = await requestAccessToken(direct.http, writeOnly);
    expect((await alike(`/scim/v2/Users/${userId}`, bearer(writeToken))).status).toBe(403);
    // Its token from the admin API: /oauth/token would refuse this address too.
    const fenced = await createTenantWithConnection(direct.http, { allowedCidrs: ['203.0.113.0/24'] });
    const minted = await direct.http.post<{ token: string }>(`/admin/tenants/${fenced.tenantId}/connections/${fenced.connectionId}/tokens`, { token: TEST_ADMIN_TOKEN, body: {} });
    const fencedToken = minted.body.token;
    expect((await alike(`/scim/v2/Users/${userId}`, bearer(fencedToken))).status).toBe(403);
  });

  it('counts each request once against the tenant, whether it answers it or hands it to the Nest route', async () => {
    const limited = await createTenantWithConnection(direct.http);
    const settings = await direct.http.patch(`/admin/tenants/${limited.tenantId}`, { token: TEST_ADMIN_TOKEN, body: { settings: { rateLimits: { readPerSecond: 5 } } } });
    expect(settings.status).toBe(200);
    const limitedToken = await requestAccessToken(direct.http, limited);
    const own = await direct.http.post<{ id: string }>('/scim/v2/Users', { token: limitedToken, body: { schemas: [USER_SCHEMA], userName: 'limited@example.com' } });
    // Ten at once, in one window: five answered directly (200), five handed over (404); five get in.
    const paths = Array.from({ length: 10 }, (_, i) => `/scim/v2/Users/${i % 2 === 0 ? own.body.id : '00000000-0000-4000-8000-000000000000'}`);
    const answers = await Promise.all(paths.map((path) => direct.http.get(path, { token: limitedToken })));
    const admitted = answers.filter((answer) => answer.status !== 429);
    expect(admitted).toHaveLength(5);
    expect(admitted.map((answer) => Number(answer.headers.get('x-ratelimit-remaining'))).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(5);
  });

  it('serves HEAD through Nest on both, alike', async () => {
    expect((await alike(`/scim/v2/Users/${userId}`, bearer(token), 'HEAD')).status).toBe(200);
  });

  it('answers the admin access endpoint alike, for every kind of caller', async () => {
    const path = (tenant: string, user: string) => `/admin/tenants/${tenant}/users/${user}/access`;
    const ok = await alike(path(tenantId, userId), bearer(TEST_ADMIN_TOKEN));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({
      active: true,
      // The group's name is a role too (groups as roles).
      roles: ['readers', 'writer'],
      libraries: [{ id: libraryId, displayName: 'Handbooks "2026"' }],
      groups: [{ id: groupId, displayName: 'readers' }],
    });
    expect((await alike(path(tenantId, inactiveId), bearer(TEST_ADMIN_TOKEN))).status).toBe(200);
    expect((await alike(path(tenantId, userId), bearer(keys.access ?? ''))).status).toBe(200);
    expect((await alike(path(tenantId, userId), bearer(keys.boundHere ?? ''))).status).toBe(200);
    const refusals: [string, Record<string, string>, number][] = [
      [path(tenantId, userId), {}, 401],
      [path(tenantId, userId), bearer('wrong-admin-token-0123456789abcdef0123'), 401],
      [path(tenantId, userId), bearer(keys.writeOnly ?? ''), 403],
      [path(tenantId, userId), bearer(keys.boundElsewhere ?? ''), 404],
      [path(tenantId, otherTenantUserId), bearer(TEST_ADMIN_TOKEN), 404],
      [path(tenantId, 'not-an-id'), bearer(TEST_ADMIN_TOKEN), 404],
      [path('not-a-tenant', userId), bearer(TEST_ADMIN_TOKEN), 404],
    ];
    for (const [url, headers, status] of refusals) {
      const answer = await alike(url, headers);
      expect({ url, status: answer.status }).toEqual({ url, status });
    }
  });
});
