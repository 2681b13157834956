import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';

interface Tenant {
  id: string;
  slug: string;
  name: string;
  settings: { userNameFormat: string; uniqueRoles: string[] };
  createdAt: string;
}

describe.each(databaseKinds())('admin API on %s', (kind) => {
  let roster: RosterHarness;
  const admin = { token: TEST_ADMIN_TOKEN };

  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  it('requires the admin token, compared exactly', async () => {
    const missing = await roster.http.get('/admin/tenants');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await roster.http.get('/admin/tenants', { token: TEST_ADMIN_TOKEN + 'x' })).status).toBe(401);
    expect((await roster.http.get('/admin/tenants', { token: TEST_ADMIN_TOKEN.slice(0, -1) })).status).toBe(401);
    expect((await roster.http.get('/admin/tenants', admin)).status).toBe(200);
  });

  it('creates a tenant with default settings and a slug from its name', async () => {
    const response = await roster.http.post<Tenant>('/admin/tenants', { ...admin, body: { name: 'Acme Corp Ünited' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug: 'acme-corp-united',
      name: 'Acme Corp Ünited',
      settings: { userNameFormat: 'any', uniqueRoles: ['owner'] },
      createdAt: expect.any(String),
    });
    const fetched = await roster.http.get<Tenant>(`/admin/tenants/${response.body.id}`, admin);
    expect(fetched.body).toEqual(response.body);
    const listed = await roster.http.get<Tenant[]>('/admin/tenants', admin);
    expect(listed.body.map((tenant) => tenant.id)).toContain(response.body.id);
  });

  it('answers 409 uniqueness for a taken slug', async () => {
    await roster.http.post('/admin/tenants', { ...admin, body: { name: 'First', slug: 'taken' } });
    const second = await roster.http.post<{ scimType: string }>('/admin/tenants', { ...admin, body: { name: 'Second', slug: 'taken' } });
    expect(second.status).toBe(409);
    expect(second.body.scimType).toBe('uniqueness');
  });

  it.each([
    ['a missing name', {}],
    ['an unknown field', { name: 'x', colour: 'blue' }],
    ['a bad slug', { name: 'x', slug: 'Not A Slug' }],
    ['a bad userNameFormat', { name: 'x', settings: { userNameFormat: 'phone' } }],
  ])('answers 400 invalidValue for %s', async (_name, body) => {
    const response = await roster.http.post<{ scimType: string; status: string }>('/admin/tenants', { ...admin, body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('updates tenant settings', async () => {
    const created = await roster.http.post<Tenant>('/admin/tenants', { ...admin, body: { name: 'Settings Co' } });
    const updated = await roster.http.patch<Tenant>(`/admin/tenants/${created.body.id}`, {
      ...admin,
      body: { settings: { userNameFormat: 'email', rateLimits: { readPerSecond: 50 } } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.settings).toEqual({ userNameFormat: 'email', uniqueRoles: ['owner'], rateLimits: { readPerSecond: 50 } });
    expect((await roster.http.get<Tenant>(`/admin/tenants/${created.body.id}`, admin)).body.settings.userNameFormat).toBe('email');
  });

  it('answers 404 for an unknown tenant whatever the id looks like', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', "x' OR '1'='1"]) {
      const response = await roster.http.get<{ status: string }>(`/admin/tenants/${encodeURIComponent(id)}`, admin);
      expect(response.status).toBe(404);
      expect(response.body.status).toBe('404');
    }
  });

  it('shows a connection secret once and never again', async () => {
    const tenant = await roster.http.post<Tenant>('/admin/tenants', { ...admin, body: { name: 'Secrets Inc' } });
    const path = `/admin/tenants/${tenant.body.id}/connections`;
    const created = await roster.http.post<Record<string, unknown>>(path, {
      ...admin,
      body: { name: 'Entra ID', scopes: ['scim.read'], allowedCidrs: ['10.0.0.0/8'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      clientId: expect.stringMatching(/^roster_/),
      clientSecret: expect.stringMatching(/^rst_cs_/),
      scopes: ['scim.read'],
      allowedCidrs: ['10.0.0.0/8'],
    });
    const listed = await roster.http.get<Record<string, unknown>[]>(path, admin);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).not.toHaveProperty('clientSecret');
    expect(listed.body[0]).not.toHaveProperty('secretHash');
    expect(listed.text).not.toContain(String(created.body.clientSecret));
  });

  it.each([
    ['no scopes', { name: 'x', scopes: [] }],
    ['an unknown scope', { name: 'x', scopes: ['scim.admin'] }],
    ['a bad CIDR', { name: 'x', scopes: ['scim.read'], allowedCidrs: ['10.0.0.0/33'] }],
  ])('refuses a connection with %s', async (_name, body) => {
    const tenant = await roster.http.post<Tenant>('/admin/tenants', { ...admin, body: { name: `Bad conn ${_name}` } });
    const response = await roster.http.post<{ scimType: string }>(`/admin/tenants/${tenant.body.id}/connections`, { ...admin, body });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidValue');
  });

  it("keeps one tenant's connections out of another tenant's paths", async () => {
    const a = await roster.http.post<Tenant>('/admin/tenants', { ...admin, body: { name: 'Tenant A iso' } });
    const b = await roster.http.post<Tenant>('/admin/tenants', { ...admin, body: { name: 'Tenant B iso' } });
    const connection = await roster.http.post<{ id: string }>(`/admin/tenants/${a.body.id}/connections`, {
      ...admin,
      body: { name: 'A', scopes: ['scim.read'] },
    });
    expect((await roster.http.get<unknown[]>(`/admin/tenants/${b.body.id}/connections`, admin)).body).toEqual([]);
    const foreign = `/admin/tenants/${b.body.id}/connections/${connection.body.id}`;
    expect((await roster.http.delete(foreign, admin)).status).toBe(404);
    expect((await roster.http.post(`${foreign}/tokens`, { ...admin, body: {} })).status).toBe(404);
    const stillLive = await roster.http.get<{ revokedAt: string | null }[]>(`/admin/tenants/${a.body.id}/connections`, admin);
    expect(stillLive.body[0]?.revokedAt).toBeNull();
  });
});

describe.each(databaseKinds())('admin API without ADMIN_TOKEN on %s', (kind) => {
  let roster: RosterHarness;
  beforeAll(async () => {
    roster = await startRoster(kind, { adminToken: undefined });
  });
  afterAll(() => roster.close());

  it('does not exist: 404 whatever token is sent', async () => {
    expect((await roster.http.get('/admin/tenants')).status).toBe(404);
    expect((await roster.http.post('/admin/tenants', { token: TEST_ADMIN_TOKEN, body: { name: 'x' } })).status).toBe(404);
  });
});
