import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, type ScimGroup } from '../support/scim-groups.js';
import { expectScimError, expectStatus, librariesAdmin, SEARCH_REQUEST } from '../support/scim-libraries.js';
import { patchOp, USER_SCHEMA, type ScimUser } from '../support/scim-users.js';
import { storedRows } from '../support/stored-rows.js';

const SCIM = '/scim/v2';
const TABLES = ['users', 'user_values', 'groups', 'group_members', 'libraries', 'roles', 'api_connections', 'api_tokens'] as const;

/**
 * Ids that cannot name anything, as they go into a URL: NUL, an unpaired surrogate (as WHATWG URL
 * encoding turns it into U+FFFD, and as raw CESU-8 bytes no UTF-8 decoder takes), 10 KB, an emoji,
 * a slash, and a UUID in upper case (Roster's are lower case).
 */
const IDS: readonly [string, string][] = [
  ['NUL', '%00'],
  ['NUL inside', 'a%00b'],
  ['an unpaired surrogate', '\uD800'],
  ['an unpaired surrogate as raw bytes', '%ED%A0%80'],
  ['a cut-short escape', '%E0%A4%A'],
  ['10 KB', 'x'.repeat(10 * 1024)],
  ['an emoji', '%F0%9F%98%80'],
  ['an encoded slash', 'abc%2Fdef'],
  ['a word', 'does-not-exist'],
];

/** What no request with an unusable id, filter or body may do: answer 5xx, or change a row. */
describe.each(databaseKinds())('Input no row can hold, on %s', (kind) => {
  let roster: RosterHarness;
  let connection: CreatedConnection;
  let token: string;
  let user: ScimUser;
  let group: ScimGroup;
  let stored: () => Promise<Record<string, number>>;

  beforeAll(async () => {
    roster = await startRoster(kind);
    connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
    user = (await roster.http.post<ScimUser>(`${SCIM}/Users`, { token, body: { schemas: [USER_SCHEMA], userName: 'kept@example.com' } })).body;
    group = (await roster.http.post<ScimGroup>(`${SCIM}/Groups`, { token, body: { schemas: [GROUP_SCHEMA], displayName: 'Kept', members: [{ value: user.id }] } })).body;
    await librariesAdmin(roster, connection.tenantId).add('Kept Library');
    stored = () => storedRows(roster, connection.tenantId, TABLES);
  });
  afterAll(() => roster.close());

  const writeBody = (type: string): unknown =>
    type === 'Users' ? { schemas: [USER_SCHEMA], userName: 'other@example.com' } : { schemas: [GROUP_SCHEMA], displayName: 'Other' };

  describe.each(IDS)('an id of %s', (_label, id) => {
    it.each([
      ['GET', 'Users', 'User'],
      ['PUT', 'Users', 'User'],
      ['PATCH', 'Users', 'User'],
      ['DELETE', 'Users', 'User'],
      ['GET', 'Groups', 'Group'],
      ['PUT', 'Groups', 'Group'],
      ['PATCH', 'Groups', 'Group'],
      ['DELETE', 'Groups', 'Group'],
      ['GET', 'Libraries', 'Library'],
    ])('%s /%s/{id} answers 404 and changes nothing', async (method, type, noun) => {
      const before = await stored();
      const body = method === 'PATCH' ? patchOp({ op: 'replace', path: 'displayName', value: 'Changed' }) : method === 'PUT' ? writeBody(type) : undefined;
      const response = await roster.http.request(method, `${SCIM}/${type}/${id}`, { token, body });
      expectScimError(response, 404);
      const detail = (response.body as { detail: string }).detail;
      // A path the router cannot decode is refused before it reaches the type's endpoint.
      if (!id.startsWith('%E')) expect(detail).toMatch(new RegExp(`^${noun} ".*" not found\\.$`, 's'));
      expect(detail.length).toBeLessThan(200);
      expect(await stored()).toEqual(before);
    });
  });

  it('answers 404 for an upper-case spelling of an existing id, which Roster never mints', async () => {
    expectScimError(await roster.http.get(`${SCIM}/Users/${user.id.toUpperCase()}`, { token }), 404);
    expectStatus(await roster.http.get(`${SCIM}/Users/${user.id}`, { token }), 200);
  });

  it('checks the token first: 401 without one, and the 404 of a counted request carries the rate-limit headers', async () => {
    expectScimError(await roster.http.get(`${SCIM}/Users/%00`), 401);
    const counted = await roster.http.get(`${SCIM}/Users/%00`, { token });
    expectScimError(counted, 404);
    expect(counted.headers.get('x-ratelimit-limit')).toBe(String(roster.options.rateLimits.readPerSecond));
  });

  it.each([
    ['GET', (tenant: string) => `/admin/tenants/${tenant}`, 'Tenant'],
    ['PATCH', (tenant: string) => `/admin/tenants/${tenant}`, 'Tenant'],
    ['GET', (tenant: string) => `/admin/tenants/${tenant}/connections`, 'Tenant'],
    ['GET', (tenant: string) => `/admin/tenants/${tenant}/libraries`, 'Tenant'],
    ['GET', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/libraries/${bad}`, 'Library'],
    ['DELETE', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/libraries/${bad}`, 'Library'],
    ['DELETE', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/connections/${bad}`, 'Connection'],
    ['GET', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/connections/${bad}/tokens`, 'Connection'],
    ['PATCH', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/roles/${bad}`, 'Role'],
    ['DELETE', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/roles/${bad}`, 'Role'],
    ['GET', (_tenant: string, real: string, bad: string) => `/admin/tenants/${real}/users/${bad}/access`, 'User'],
  ])('%s on the admin path %p answers 404 naming the %s for a NUL or 10 KB id, and changes nothing', async (method, pathOf, noun) => {
    for (const bad of ['%00', 'y'.repeat(10 * 1024)]) {
      const before = await stored();
      const response = await roster.http.request(method, pathOf(bad, connection.tenantId, bad), { token: TEST_ADMIN_TOKEN, body: method === 'PATCH' ? {} : undefined });
      expectScimError(response, 404);
      expect((response.body as { detail: string }).detail).toMatch(new RegExp(`^${noun} "`));
      expect(await stored()).toEqual(before);
    }
  });

  it.each([
    ['an escaped NUL', 'userName eq "a\\u0000"'],
    ['an escaped unpaired surrogate', 'userName eq "\\ud800"'],
    ['an escaped NUL in an id', 'id eq "\\u0000"'],
    ['an escaped NUL in a value filter', 'emails[value eq "\\u0000"]'],
  ])('answers a filter with %s 400 invalidFilter on GET, /.search and the root /.search', async (_label, filter) => {
    expectScimError(await roster.http.get(`${SCIM}/Users?filter=${encodeURIComponent(filter)}`, { token }), 400, 'invalidFilter');
    for (const path of ['/Users/.search', '/.search']) {
      expectScimError(await roster.http.post(`${SCIM}${path}`, { token, body: { schemas: [SEARCH_REQUEST], filter } }), 400, 'invalidFilter');
    }
  });

  it('answers a member removal by a filter holding NUL 400 invalidFilter and keeps the members', async () => {
    const response = await roster.http.patch(`${SCIM}/Groups/${group.id}`, { token, body: patchOp({ op: 'remove', path: 'members[value eq "\\u0000"]' }) });
    expectScimError(response, 400, 'invalidFilter');
    expect((await roster.http.get<ScimGroup>(`${SCIM}/Groups/${group.id}`, { token })).body.members?.map((member) => member.value)).toEqual([user.id]);
  });

  it.each<[string, string, (tenant: string) => string, Record<string, unknown>]>([
    ['a tenant name', 'POST', () => '/admin/tenants', { name: 'Evil\u0000Corp' }],
    ['a connection name', 'POST', (tenant) => `/admin/tenants/${tenant}/connections`, { name: 'IdP\u0000', scopes: ['scim.read'] }],
    ['a role description', 'POST', (tenant) => `/admin/tenants/${tenant}/roles`, { name: 'auditor', description: '\uD800' }],
    ['a library displayName', 'POST', (tenant) => `/admin/tenants/${tenant}/libraries`, { displayName: 'Lib\u0000' }],
  ])('answers %s holding NUL or an unpaired surrogate 400 invalidValue naming the field, and stores nothing', async (_label, method, pathOf, body) => {
    const tenantsBefore = (await roster.http.get<unknown[]>('/admin/tenants', { token: TEST_ADMIN_TOKEN })).body.length;
    const before = await stored();
    const response = await roster.http.request(method, pathOf(connection.tenantId), { token: TEST_ADMIN_TOKEN, body });
    expectScimError(response, 400, 'invalidValue');
    expect((response.body as { detail: string }).detail).toMatch(/^\w+ contains U\+0000 or an unpaired surrogate$/);
    expect(await stored()).toEqual(before);
    expect((await roster.http.get<unknown[]>('/admin/tenants', { token: TEST_ADMIN_TOKEN })).body).toHaveLength(tenantsBefore);
  });

  it('answers a client_id holding NUL at /oauth/token like any unknown client: 401 invalid_client', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: `${connection.clientId}\u0000`, client_secret: connection.clientSecret });
    const response: HttpResponse<{ error: string }> = await roster.http.post('/oauth/token', {
      rawBody: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
  });

  it('answers a path no decoder can read under /scim/v2 and /admin with a SCIM 404, under /oauth with invalid_request', async () => {
    expectScimError(await roster.http.get(`${SCIM}/%FF`), 404);
    expectScimError(await roster.http.get('/admin/tenants/%ED%A0%80', { token: TEST_ADMIN_TOKEN }), 404);
    const oauth = await roster.http.post<{ error: string }>('/oauth/token%FF', { body: {} });
    expect(oauth.status).toBe(400);
    expect(oauth.body.error).toBe('invalid_request');
  });
});
