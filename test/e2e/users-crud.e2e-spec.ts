import { captureStatements, type CapturedStatement } from '../support/captured-sql.js';
import { databaseKinds } from '../support/databases.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type ScimUser = Record<string, unknown> & { id: string; meta: { version: string; location: string; created: string; lastModified: string } };

describe.each(databaseKinds())('Users: create, read, replace, delete on %s', (kind) => {
  let roster: RosterHarness;
  let token: string;

  beforeAll(async () => {
    roster = await startRoster(kind);
    token = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
  });
  afterAll(() => roster.close());

  const create = (body: Record<string, unknown>) => roster.http.post<ScimUser>('/scim/v2/Users', { token, body: { schemas: [USER], ...body } });

  it('creates a user: 201, Location, ETag, complete meta, no password', async () => {
    const response = await create({
      userName: 'bjensen@example.com',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      password: 't1meMa$heen',
      [ENTERPRISE]: { employeeNumber: '701984', manager: '26118915-6090-4610-87e4-49d8ca9f808d' },
      schemas: [USER, ENTERPRISE],
    });
    expect(response.status).toBe(201);
    const user = response.body;
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`https://roster.example.test/scim/v2/Users/${user.id}`);
    expect(response.headers.get('etag')).toBe(user.meta.version);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(user.meta).toEqual({
      resourceType: 'User',
      created: expect.any(String),
      lastModified: user.meta.created,
      location: `https://roster.example.test/scim/v2/Users/${user.id}`,
      version: 'W/"1"',
    });
    expect(user).not.toHaveProperty('password');
    expect(response.text).not.toContain('t1meMa$heen');
    expect(user[ENTERPRISE]).toEqual({ employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });

    const read = await roster.http.get<ScimUser>(`/scim/v2/Users/${user.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(user);
  });

  it('answers 409 uniqueness for a userName that differs only by case, Unicode included', async () => {
    expect((await create({ userName: 'ÄÖÜ-user' })).status).toBe(201);
    const clash = await create({ userName: 'äöü-USER' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ scimType: 'uniqueness', status: '409' });
  });

  it('creates a new userName with one statement on users, and leaves the user holding a taken one as it was', async () => {
    const onUsers = (statements: readonly CapturedStatement[]) => statements.map((statement) => statement.sql).filter((sql) => /\b(FROM|INTO|UPDATE)\s+"?users"?\b/i.test(sql));
    let created: ScimUser | undefined;
    const fresh = await captureStatements(roster, async () => {
      const response = await create({ userName: 'one.statement@example.com' });
      expect(response.status).toBe(201);
      created = response.body;
    });
    expect(onUsers(fresh)).toEqual([expect.stringMatching(/^INSERT INTO users .* ON CONFLICT \(tenant_id, user_name_key\) DO NOTHING RETURNING id$/s)]);

    const taken = await captureStatements(roster, async () => {
      const clash = await create({ userName: 'ONE.statement@example.com', displayName: 'Someone else' });
      expect(clash.status).toBe(409);
      expect(clash.body).toMatchObject({ scimType: 'uniqueness', status: '409' });
    });
    // The insert that did nothing, then the look-up that tells a live user (409) from a deleted one.
    expect(onUsers(taken)).toEqual([expect.stringMatching(/ON CONFLICT \(tenant_id, user_name_key\) DO NOTHING/), expect.stringMatching(/^SELECT .* FROM users WHERE/s)]);
    const read = await roster.http.get<ScimUser>(`/scim/v2/Users/${created?.id}`, { token });
    expect(read.body).toEqual(created);
  });

  it('answers 404 for unknown ids whatever their shape', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', '1', "' OR 1=1 --"]) {
      const response = await roster.http.get<{ status: string }>(`/scim/v2/Users/${encodeURIComponent(id)}`, { token });
      expect(response.status).toBe(404);
      expect(response.body.status).toBe('404');
    }
  });

  it('replaces a user with PUT, moving lastModified and the version', async () => {
    const created = (await create({ userName: 'put-me', displayName: 'Before', title: 'Engineer' })).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replaced = await roster.http.request<ScimUser>('PUT', `/scim/v2/Users/${created.id}`, {
      token,
      body: { schemas: [USER], userName: 'put-me', displayName: 'After', id: 'ignored', meta: { version: 'W/"99"' } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.id).toBe(created.id);
    expect(replaced.body.displayName).toBe('After');
    expect(replaced.body).not.toHaveProperty('title');
    expect(replaced.body.meta.version).toBe('W/"2"');
    expect(replaced.body.meta.created).toBe(created.meta.created);
    expect(replaced.body.meta.lastModified > created.meta.lastModified).toBe(true);
  });

  it('honours If-Match (412) and If-None-Match (304)', async () => {
    const created = (await create({ userName: 'etag-user' })).body;
    const stale = await roster.http.request('PUT', `/scim/v2/Users/${created.id}`, {
      token,
      headers: { 'if-match': 'W/"7"' },
      body: { schemas: [USER], userName: 'etag-user', title: 'x' },
    });
    expect(stale.status).toBe(412);
    const fresh = await roster.http.request('PUT', `/scim/v2/Users/${created.id}`, {
      token,
      headers: { 'if-match': created.meta.version },
      body: { schemas: [USER], userName: 'etag-user', title: 'x' },
    });
    expect(fresh.status).toBe(200);
    const notModified = await roster.http.get(`/scim/v2/Users/${created.id}`, { token, headers: { 'if-none-match': 'W/"2"' } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    const modified = await roster.http.get(`/scim/v2/Users/${created.id}`, { token, headers: { 'if-none-match': 'W/"1"' } });
    expect(modified.status).toBe(200);
    const staleDelete = await roster.http.delete(`/scim/v2/Users/${created.id}`, { token, headers: { 'if-match': 'W/"1"' } });
    expect(staleDelete.status).toBe(412);
    expect((await roster.http.get(`/scim/v2/Users/${created.id}`, { token })).status).toBe(200);
    const currentDelete = await roster.http.delete(`/scim/v2/Users/${created.id}`, { token, headers: { 'if-match': 'W/"2"' } });
    expect(currentDelete.status).toBe(204);
  });

  it('soft-deletes: 204, then 404 for every verb, and a POST of the same userName restores the same id', async () => {
    const created = (await create({ userName: 'leaver', title: 'Old title', roles: ['admin'] })).body;
    expect((await roster.http.delete(`/scim/v2/Users/${created.id}`, { token })).status).toBe(204);
    expect((await roster.http.get(`/scim/v2/Users/${created.id}`, { token })).status).toBe(404);
    expect((await roster.http.delete(`/scim/v2/Users/${created.id}`, { token })).status).toBe(404);
    expect((await roster.http.request('PUT', `/scim/v2/Users/${created.id}`, { token, body: { schemas: [USER], userName: 'leaver' } })).status).toBe(404);
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x' }] };
    expect((await roster.http.patch(`/scim/v2/Users/${created.id}`, { token, body: patch })).status).toBe(404);

    const restored = await create({ userName: 'LEAVER', displayName: 'Back again' });
    expect(restored.status).toBe(201);
    expect(restored.body.id).toBe(created.id);
    expect(restored.body.displayName).toBe('Back again');
    expect(restored.body).not.toHaveProperty('title');
    expect(restored.body).not.toHaveProperty('roles');
  });

  it('keeps one tenant out of another: 404 for every verb on a foreign user', async () => {
    const created = (await create({ userName: 'isolated' })).body;
    const other = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
    const path = `/scim/v2/Users/${created.id}`;
    expect((await roster.http.get(path, { token: other })).status).toBe(404);
    expect((await roster.http.request('PUT', path, { token: other, body: { schemas: [USER], userName: 'isolated' } })).status).toBe(404);
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x' }] };
    expect((await roster.http.patch(path, { token: other, body: patch })).status).toBe(404);
    expect((await roster.http.delete(path, { token: other })).status).toBe(404);
    expect((await roster.http.get(path, { token })).status).toBe(200);
    // The same userName is free in the other tenant.
    const sameName = await roster.http.post('/scim/v2/Users', { token: other, body: { schemas: [USER], userName: 'isolated' } });
    expect(sameName.status).toBe(201);
  });
});
