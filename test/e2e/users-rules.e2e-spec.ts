import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { ACCESS_GROUP, GROUP_SCHEMA, groupsApi } from '../support/scim-groups.js';
import { countUserRows, patchOp, USER_SCHEMA, usersApi, type ScimErrorResponse, type UsersApi } from '../support/scim-users.js';

interface Access {
  active: boolean;
  roles: string[];
  libraries: string[];
  groups: string[];
}

describe.each(databaseKinds())('Users: roles, userName format, passwords, access and purge on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  /** A fresh tenant, so that unique roles and settings of one test never meet another's. */
  async function newTenant(): Promise<{ tenantId: string; users: UsersApi }> {
    const connection = await createTenantWithConnection(roster.http);
    return { tenantId: connection.tenantId, users: usersApi(roster, await requestAccessToken(roster.http, connection)) };
  }

  const admin = {
    post: <T>(path: string, body: unknown) => roster.http.post<T>(`/admin${path}`, { token: TEST_ADMIN_TOKEN, body }),
    get: <T>(path: string) => roster.http.get<T>(`/admin${path}`, { token: TEST_ADMIN_TOKEN }),
    patch: <T>(path: string, body: unknown) => roster.http.patch<T>(`/admin${path}`, { token: TEST_ADMIN_TOKEN, body }),
  };

  describe('role catalog', () => {
    it('answers 400 invalidValue naming a role that is not in the catalog, and stores nothing', async () => {
      const { tenantId, users } = await newTenant();
      const response = await users.create<ScimErrorResponse>({ userName: 'astro', roles: [{ value: 'writer' }, { value: 'astronaut' }] });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      expect(response.body.detail).toContain('astronaut');
      expect(await countUserRows(roster, tenantId)).toBe(0);
    });

    it('accepts a custom role created through the admin API, given as objects or plain strings', async () => {
      const { tenantId, users } = await newTenant();
      expect((await users.create<ScimErrorResponse>({ userName: 'early', roles: ['auditor'] })).status).toBe(400);
      const role = await admin.post<{ id: string; name: string }>(`/tenants/${tenantId}/roles`, { name: 'auditor', description: 'Reads audit logs' });
      expect(role.status).toBe(201);
      const listed = await admin.get<{ name: string }[]>(`/tenants/${tenantId}/roles`);
      expect(listed.body.map((r) => r.name)).toEqual(expect.arrayContaining(['owner', 'admin', 'writer', 'guest', 'client', 'auditor']));

      const asObjects = await users.create({ userName: 'objects', roles: [{ value: 'auditor' }] });
      expect(asObjects.status).toBe(201);
      expect(asObjects.body.roles).toEqual([{ value: 'auditor' }]);
      const asStrings = await users.create({ userName: 'strings', roles: ['auditor', 'writer'] });
      expect(asStrings.status).toBe(201);
      expect(asStrings.body.roles).toEqual([{ value: 'auditor' }, { value: 'writer' }]);
      expect((await users.get(asStrings.body.id)).body.roles).toEqual([{ value: 'auditor' }, { value: 'writer' }]);
    });

    it('returns 409 uniqueness when a second active user takes the owner role, by POST or by PATCH', async () => {
      const { users } = await newTenant();
      expect((await users.create({ userName: 'first-owner', roles: ['owner'] })).status).toBe(201);
      const second = await users.create<ScimErrorResponse>({ userName: 'second-owner', roles: ['owner'] });
      expect(second.status).toBe(409);
      expect(second.body.scimType).toBe('uniqueness');
      const other = (await users.create({ userName: 'other' })).body;
      const patched = await users.patch<ScimErrorResponse>(other.id, patchOp({ op: 'add', path: 'roles', value: ['owner'] }));
      expect(patched.status).toBe(409);
      expect(patched.body.scimType).toBe('uniqueness');
      expect((await users.get(other.id)).body).toEqual(other);
    });

    it('frees the owner role when its holder is deactivated, and takes it back only while free', async () => {
      const { users } = await newTenant();
      const owner = (await users.create({ userName: 'owner-a', roles: ['owner'] })).body;
      expect((await users.patch(owner.id, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
      const next = await users.create({ userName: 'owner-b', roles: ['owner'] });
      expect(next.status).toBe(201);
      const reactivated = await users.patch<ScimErrorResponse>(owner.id, patchOp({ op: 'replace', path: 'active', value: true }));
      expect(reactivated.status).toBe(409);
      expect(reactivated.body.scimType).toBe('uniqueness');
    });

    it('lets a user be created inactive with a held unique role, without taking it from its holder', async () => {
      const { users } = await newTenant();
      expect((await users.create({ userName: 'active-owner', roles: ['owner'] })).status).toBe(201);
      const dormant = await users.create({ userName: 'dormant-owner', roles: ['owner'], active: false });
      expect(dormant.status).toBe(201);
      expect(dormant.body).toMatchObject({ active: false, roles: [{ value: 'owner' }] });
      const third = await users.create<ScimErrorResponse>({ userName: 'third-owner', roles: ['owner'] });
      expect(third.status).toBe(409);
      expect(third.body.scimType).toBe('uniqueness');
      const woken = await users.patch<ScimErrorResponse>(dormant.body.id, patchOp({ op: 'replace', path: 'active', value: true }));
      expect(woken.status).toBe(409);
      expect(woken.body.scimType).toBe('uniqueness');
    });

    it('frees a unique role held through a group when its holder is deactivated, and gives it back on reactivation only while free', async () => {
      const connection = await createTenantWithConnection(roster.http);
      const token = await requestAccessToken(roster.http, connection);
      const users = usersApi(roster, token);
      const groups = groupsApi(roster, token);
      const holder = (await users.create({ userName: 'group-owner', roles: ['guest'] })).body;
      const owners = await groups.create({ displayName: 'Owners', members: [{ value: holder.id }], schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'owner' } });
      expect(owners.status).toBe(201);
      expect((await users.create<ScimErrorResponse>({ userName: 'direct-owner', roles: ['owner'] })).status).toBe(409);

      // Only the activity changes: the direct roles stay, the group's unique role is given up.
      const deactivated = await users.patch(holder.id, patchOp({ op: 'replace', path: 'active', value: false }));
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ active: false, roles: [{ value: 'guest' }], groups: [{ value: owners.body.id, display: 'Owners' }] });
      expect(deactivated.body).toEqual((await users.get(holder.id)).body);
      const direct = await users.create({ userName: 'direct-owner', roles: ['owner'] });
      expect(direct.status).toBe(201);
      const refused = await users.patch<ScimErrorResponse>(holder.id, patchOp({ op: 'replace', path: 'active', value: true }));
      expect(refused.status).toBe(409);
      expect(refused.body.scimType).toBe('uniqueness');
      expect((await users.get(holder.id)).body).toEqual(deactivated.body);

      expect((await users.delete(direct.body.id)).status).toBe(204);
      const reactivated = await users.patch(holder.id, patchOp({ op: 'replace', path: 'active', value: true }));
      expect(reactivated.status).toBe(200);
      expect(reactivated.body).toEqual((await users.get(holder.id)).body);
      expect((await admin.get<Access>(`/tenants/${connection.tenantId}/users/${holder.id}/access`)).body).toMatchObject({ active: true, roles: ['guest', 'owner'] });
      // Held again through the group: nobody else may take it.
      expect((await users.create<ScimErrorResponse>({ userName: 'late-owner', roles: ['owner'] })).status).toBe(409);
    });

    it('frees the owner role when its holder is deleted', async () => {
      const { users } = await newTenant();
      const owner = (await users.create({ userName: 'owner-deleted', roles: ['owner'] })).body;
      expect((await users.create({ userName: 'owner-waiting', roles: ['owner'] })).status).toBe(409);
      expect((await users.delete(owner.id)).status).toBe(204);
      expect((await users.create({ userName: 'owner-waiting', roles: ['owner'] })).status).toBe(201);
    });

    // A role still held must not vanish from under its holders: the catalog refuses to delete it
    // (409), so the holder stays writable (Entra's "disable user" does not touch roles).
    it('refuses to delete a role in use (409), so its holder stays writable; deletes it once unused', async () => {
      const { tenantId, users } = await newTenant();
      const role = await admin.post<{ id: string }>(`/tenants/${tenantId}/roles`, { name: 'contractor' });
      const holder = (await users.create({ userName: 'contractor-1', roles: ['contractor'] })).body;
      const deleted = await roster.http.delete(`/admin/tenants/${tenantId}/roles/${role.body.id}`, { token: TEST_ADMIN_TOKEN });
      const disabled = await users.patch(holder.id, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      expect(deleted.status).toBe(409);
      expect(disabled.status).toBe(200);
      expect(disabled.body.active).toBe(false);
      expect((await users.patch(holder.id, patchOp({ op: 'remove', path: 'roles' }))).status).toBe(200);
      const unused = await roster.http.delete(`/admin/tenants/${tenantId}/roles/${role.body.id}`, { token: TEST_ADMIN_TOKEN });
      expect(unused.status).toBe(204);
    });

    it('enforces a custom role created unique', async () => {
      const { tenantId, users } = await newTenant();
      expect((await admin.post(`/tenants/${tenantId}/roles`, { name: 'treasurer', unique: true })).status).toBe(201);
      expect((await users.create({ userName: 'treasurer-1', roles: ['treasurer'] })).status).toBe(201);
      const clash = await users.create<ScimErrorResponse>({ userName: 'treasurer-2', roles: ['treasurer'] });
      expect(clash.status).toBe(409);
      expect(clash.body.scimType).toBe('uniqueness');
    });
  });

  it('answers 400 invalidValue for a non-email userName when the tenant requires emails', async () => {
    const { tenantId, users } = await newTenant();
    expect((await admin.patch(`/tenants/${tenantId}`, { settings: { userNameFormat: 'email' } })).status).toBe(200);
    const rejected = await users.create<ScimErrorResponse>({ userName: 'not-an-email' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.scimType).toBe('invalidValue');
    expect(await countUserRows(roster, tenantId)).toBe(0);
    const accepted = await users.create({ userName: 'someone@example.com' });
    expect(accepted.status).toBe(201);
    const renamed = await users.patch<ScimErrorResponse>(accepted.body.id, patchOp({ op: 'replace', path: 'userName', value: 'plain' }));
    expect(renamed.status).toBe(400);
    expect(renamed.body.scimType).toBe('invalidValue');
  });

  it('never returns the password: not on POST, PUT, PATCH, GET nor when asked for by attributes', async () => {
    const { users } = await newTenant();
    const secrets = ['Create-S3cret!', 'Put-S3cret!', 'Patch-S3cret!', 'Pathless-S3cret!'];
    const created = await users.create({ userName: 'pw-user', password: secrets[0] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const replaced = await users.put(id, { schemas: [USER_SCHEMA], userName: 'pw-user', password: secrets[1] });
    expect(replaced.status).toBe(200);
    const patched = await users.patch(id, patchOp({ op: 'replace', path: 'password', value: secrets[2] }));
    expect(patched.status).toBe(200);
    const pathless = await users.patch(id, patchOp({ op: 'replace', value: { password: secrets[3] } }));
    expect(pathless.status).toBe(200);
    expect(pathless.body.meta.version).toBe('W/"4"');
    const read = await users.get(id);
    const projected = await users.get(id, '?attributes=password,userName');
    expect(projected.status).toBe(200);
    for (const response of [created, replaced, patched, pathless, read, projected]) {
      expect(response.body).not.toHaveProperty('password');
      for (const secret of secrets) expect(response.text).not.toContain(secret);
    }
  });

  it('reports active and roles on the admin access endpoint; an inactive user has no effective access', async () => {
    const { tenantId, users } = await newTenant();
    const user = (await users.create({ userName: 'access-user', roles: ['writer', { value: 'guest' }] })).body;
    const access = await admin.get<Access>(`/tenants/${tenantId}/users/${user.id}/access`);
    expect(access.status).toBe(200);
    expect(access.body).toEqual({ active: true, roles: ['guest', 'writer'], libraries: [], groups: [] });
    await users.patch(user.id, patchOp({ op: 'replace', value: { active: 'False' } }));
    expect((await admin.get<Access>(`/tenants/${tenantId}/users/${user.id}/access`)).body).toEqual({ active: false, roles: [], libraries: [], groups: [] });
    await users.patch(user.id, patchOp({ op: 'replace', value: { active: true } }));
    expect((await admin.get<Access>(`/tenants/${tenantId}/users/${user.id}/access`)).body).toMatchObject({ active: true, roles: ['guest', 'writer'] });
    expect((await admin.get(`/tenants/${tenantId}/users/00000000-0000-0000-0000-000000000000/access`)).status).toBe(404);
  });

  it('purges soft-deleted users, after which the same userName gets a new id', async () => {
    const { tenantId, users } = await newTenant();
    const user = (await users.create({ userName: 'purged-user' })).body;
    const kept = (await users.create({ userName: 'kept-user' })).body;
    expect((await users.delete(user.id)).status).toBe(204);
    const purge = await admin.post<{ purged: number }>(`/tenants/${tenantId}/purge`, { olderThanDays: 0 });
    expect(purge.status).toBe(200);
    expect(purge.body.purged).toBeGreaterThanOrEqual(1);
    expect(await countUserRows(roster, tenantId)).toBe(1);
    expect((await admin.get(`/tenants/${tenantId}/users/${user.id}/access`)).status).toBe(404);
    const again = await users.create({ userName: 'purged-user' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(user.id);
    expect(again.body.meta.version).toBe('W/"1"');
    expect((await users.get(kept.id)).status).toBe(200);
  });

  it('keeps a recently deleted user when purging older ones', async () => {
    const { tenantId, users } = await newTenant();
    const user = (await users.create({ userName: 'recent-leaver' })).body;
    await users.delete(user.id);
    expect((await admin.post<{ purged: number }>(`/tenants/${tenantId}/purge`, { olderThanDays: 30 })).body).toEqual({ purged: 0 });
    const restored = await users.create({ userName: 'recent-leaver' });
    expect(restored.body.id).toBe(user.id);
  });

  // The folded key (NFKC + lower case) grows: U+FDFA becomes 18 characters and "İ" becomes 2.
  // It has its own column length and limit, so such names are stored, never a database error.
  it.each<[string, string]>([
    ['20 × U+FDFA (NFKC expands each to 18 characters)', '\uFDFA'.repeat(20)],
    ['200 × "İ" (lower case is 2 characters each)', 'İ'.repeat(200)],
  ])('creates a user whose userName is %s, within the 256-character limit', async (_case, userName) => {
    const { users } = await newTenant();
    const created = await users.create({ userName });
    expect(created.status).toBe(201);
    expect((await users.get(created.body.id)).body.userName).toBe(userName);
  });

  // The attribute list is checked before the write: a 400 means nothing was stored.
  it('answers 400 to a POST with an unknown name in ?attributes= without creating the user', async () => {
    const { tenantId, users } = await newTenant();
    const response = await roster.http.post<ScimErrorResponse>('/scim/v2/Users?attributes=nope', {
      token: users.token,
      body: { schemas: [USER_SCHEMA], userName: 'projected-away' },
    });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidValue');
    expect(await countUserRows(roster, tenantId)).toBe(0);
  });

  describe('input limits: a 400 (or 413) SCIM error before anything is stored', () => {
    const core = `"schemas":["${USER_SCHEMA}"]`;
    const deep = (levels: number): string => '{"x":'.repeat(levels) + '"v"' + '}'.repeat(levels);

    // [case, raw JSON body, a userName that must still be free afterwards]
    it.each<[string, string, string | null]>([
      ['userName as a number', `{${core},"userName":424242}`, '424242'],
      ['emails as an object', `{${core},"userName":"lim-emails","emails":{"value":"a@example.com"}}`, 'lim-emails'],
      ['active as "maybe"', `{${core},"userName":"lim-active","active":"maybe"}`, 'lim-active'],
      ['a body without the core schema URN', `{"schemas":["urn:example:other"],"userName":"lim-schema"}`, 'lim-schema'],
      ['a body without schemas', `{"userName":"lim-noschemas"}`, 'lim-noschemas'],
      ['a userName of 300 characters', `{${core},"userName":"${'u'.repeat(300)}"}`, null],
      ['101 emails', JSON.stringify({ schemas: [USER_SCHEMA], userName: 'lim-101', emails: Array.from({ length: 101 }, (_, i) => ({ value: `e${i}@example.com` })) }), 'lim-101'],
      ['a NUL character', `{${core},"userName":"lim-nul","displayName":"a\\u0000b"}`, 'lim-nul'],
      ['a NUL character in userName', `{${core},"userName":"lim-nul-name\\u0000"}`, 'lim-nul-name'],
      ['a lone surrogate', `{${core},"userName":"lim-surrogate","displayName":"a\\ud800b"}`, 'lim-surrogate'],
      ['JSON nested 40 levels deep', `{${core},"userName":"lim-deep","name":${deep(39)}}`, 'lim-deep'],
    ])('rejects a POST with %s', async (_case, raw, freeUserName) => {
      const { tenantId, users } = await newTenant();
      const response = await users.postRaw<ScimErrorResponse>(raw);
      expect([400, 413]).toContain(response.status);
      expect(response.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(response.status) });
      expect(await countUserRows(roster, tenantId)).toBe(0);
      if (freeUserName !== null) expect((await users.create({ userName: freeUserName })).status).toBe(201);
    });

    const patchRaw = (operations: string): string => `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[${operations}]}`;

    // [case, raw JSON PATCH body]
    it.each<[string, string]>([
      ['1001 operations', patchRaw(Array.from({ length: 1001 }, (_, i) => `{"op":"replace","path":"title","value":"t${i}"}`).join(','))],
      ['a NUL character', patchRaw('{"op":"replace","path":"title","value":"a\\u0000b"}')],
      ['a lone surrogate', patchRaw('{"op":"replace","path":"title","value":"a\\udc00b"}')],
      ['JSON nested 40 levels deep', patchRaw(`{"op":"add","path":"name","value":${deep(36)}}`)],
      ['a userName of 300 characters', patchRaw(`{"op":"replace","path":"userName","value":"${'u'.repeat(300)}"}`)],
      ['active as "maybe"', patchRaw('{"op":"replace","path":"active","value":"maybe"}')],
    ])('rejects a PATCH with %s and leaves the user unchanged', async (_case, raw) => {
      const { users } = await newTenant();
      const user = (await users.create({ userName: 'lim-patch', title: 'Kept' })).body;
      const response = await users.patchRaw<ScimErrorResponse>(user.id, raw);
      expect([400, 413]).toContain(response.status);
      expect(response.body.status).toBe(String(response.status));
      const read = await users.get(user.id);
      expect(read.body).toEqual(user);
      expect(read.body.meta.version).toBe('W/"1"');
    });
  });
});
