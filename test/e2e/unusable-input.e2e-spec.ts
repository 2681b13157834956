import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, type ScimGroup } from '../support/scim-groups.js';
import { expectScimError, expectStatus, librariesAdmin } from '../support/scim-libraries.js';
import { patchOp, USER_SCHEMA, type ScimUser } from '../support/scim-users.js';
import { storedRows } from '../support/stored-rows.js';

const SCIM = '/scim/v2';
const TABLES = ['users', 'user_values', 'groups', 'group_members', 'libraries', 'roles', 'api_connections', 'api_tokens'] as const;

/**
 * Ids that cannot name anything, as they go into a URL: NUL, an unpaired surrogate (WHATWG URL
 * encoding turns it into U+FFFD), 10 KB, an emoji, a slash, a word.
 */
const IDS: readonly [string, string][] = [
  ['NUL', '%00'],
  ['NUL inside', 'a%00b'],
  ['an unpaired surrogate', '\uD800'],
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
  let stored: () => Promise<Record<string, number>>;

  beforeAll(async () => {
    roster = await startRoster(kind);
    connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
    user = (await roster.http.post<ScimUser>(`${SCIM}/Users`, { token, body: { schemas: [USER_SCHEMA], userName: 'kept@example.com' } })).body;
    expectStatus(await roster.http.post<ScimGroup>(`${SCIM}/Groups`, { token, body: { schemas: [GROUP_SCHEMA], displayName: 'Kept', members: [{ value: user.id }] } }), 201);
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
      expect(detail).toMatch(new RegExp(`^${noun} ".*" not found\\.$`, 's'));
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
});
