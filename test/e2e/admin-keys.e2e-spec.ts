import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { pullAll, tableText } from '../support/events.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { usersApi } from '../support/scim-users.js';

interface MintedKey {
  id: string;
  key: string;
  name: string;
  scopes: string[];
  tenantId: string | null;
}

describe.each(databaseKinds())('Scoped admin keys on %s', (kind) => {
  let roster: RosterHarness;
  let tenantA: string;
  let tenantB: string;
  let userA: string;

  const call = <T = unknown>(token: string, method: string, path: string, body?: unknown) =>
    roster.http.request<T>(method, `/admin${path}`, { token, ...(body === undefined ? {} : { body }) });
  const mint = async (scopes: string[], tenantId?: string, token = TEST_ADMIN_TOKEN): Promise<MintedKey> => {
    const minted = await call<MintedKey>(token, 'POST', '/keys', { name: `key ${scopes.join('+')}`, scopes, ...(tenantId === undefined ? {} : { tenantId }) });
    expect(minted.status).toBe(201);
    return minted.body;
  };

  beforeAll(async () => {
    roster = await startRoster(kind);
    const a = await createTenantWithConnection(roster.http);
    tenantA = a.tenantId;
    tenantB = (await createTenantWithConnection(roster.http)).tenantId;
    userA = (await usersApi(roster, await requestAccessToken(roster.http, a)).create({ userName: 'keyed@example.com', roles: ['writer'] })).body.id;
  });
  afterAll(() => roster.close());

  it('mints a key shown once and stored hashed, lists keys without them', async () => {
    const minted = await mint(['admin:read']);
    expect(minted).toMatchObject({ name: 'key admin:read', scopes: ['admin:read'], tenantId: null });
    expect(minted.key).toMatch(/^rst_ak_[A-Za-z0-9_-]{43}$/);
    const listed = await call<Record<string, unknown>[]>(TEST_ADMIN_TOKEN, 'GET', '/keys');
    expect(listed.body.find((key) => key.id === minted.id)).toEqual({ id: minted.id, name: 'key admin:read', scopes: ['admin:read'], tenantId: null, createdAt: expect.any(String), revokedAt: null });
    expect(listed.text).not.toContain(minted.key);
    expect(await tableText(roster, 'admin_keys')).not.toContain(minted.key);
  });

  it('gives an access:read key the access endpoint and nothing else', async () => {
    const { key } = await mint(['access:read']);
    const access = await call<{ roles: string[] }>(key, 'GET', `/tenants/${tenantA}/users/${userA}/access`);
    expect(access.status).toBe(200);
    expect(access.body.roles).toEqual(['writer']);
    const tenant = await call<{ scimType?: string; status: string }>(key, 'GET', `/tenants/${tenantA}`);
    expect(tenant.status).toBe(403);
    expect((await call(key, 'POST', `/tenants/${tenantA}/libraries`, { displayName: 'Nope' })).status).toBe(403);
  });

  it('lets admin:read read and refuses it every write', async () => {
    const { key } = await mint(['admin:read']);
    expect((await call(key, 'GET', `/tenants/${tenantA}/roles`)).status).toBe(200);
    expect((await call(key, 'GET', `/tenants/${tenantA}/users/${userA}/access`)).status).toBe(200);
    expect((await call(key, 'POST', `/tenants/${tenantA}/roles`, { name: 'reader-made' })).status).toBe(403);
    expect((await call(key, 'POST', '/keys', { name: 'escalate', scopes: ['admin:write'] })).status).toBe(403);
  });

  it('keeps a tenant-bound key to its tenant: every other tenant, the tenant list and the keys are 404', async () => {
    const { key, id } = await mint(['admin:read', 'admin:write'], tenantA);
    const created = await call<{ id: string }>(key, 'POST', `/tenants/${tenantA}/libraries`, { displayName: 'Bound library' });
    expect(created.status).toBe(201);
    expect((await call(key, 'GET', `/tenants/${tenantB}/roles`)).status).toBe(404);
    expect((await call(key, 'POST', `/tenants/${tenantB}/libraries`, { displayName: 'Elsewhere' })).status).toBe(404);
    expect((await call(key, 'GET', '/tenants')).status).toBe(404);
    expect((await call(key, 'POST', '/keys', { name: 'bound minting', scopes: ['admin:read'] })).status).toBe(404);
    const events = (await pullAll(roster, tenantA)).events.filter((event) => event.type === 'library.created');
    expect(events.map((event) => event.actor)).toEqual([{ type: 'admin', id }]);
    expect((await call(TEST_ADMIN_TOKEN, 'GET', `/tenants/${tenantB}/libraries`)).body).toEqual([]);
  });

  it('lets an unbound admin:write key mint keys, and refuses a revoked key at once', async () => {
    const operator = await mint(['admin:read', 'admin:write']);
    const minted = await mint(['access:read'], undefined, operator.key);
    expect((await call(minted.key, 'GET', `/tenants/${tenantA}/users/${userA}/access`)).status).toBe(200);
    expect((await call(operator.key, 'DELETE', `/keys/${minted.id}`)).status).toBe(204);
    const refused = await call<{ status: string; detail: string }>(minted.key, 'GET', `/tenants/${tenantA}/users/${userA}/access`);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toContain('revoked');
    expect((await call(TEST_ADMIN_TOKEN, 'DELETE', `/keys/${minted.id}`)).status).toBe(404);
    expect((await call('rst_ak_' + 'x'.repeat(43), 'GET', '/tenants')).status).toBe(401);
    expect((await call(TEST_ADMIN_TOKEN, 'POST', '/keys', { name: 'bad', scopes: ['root'] })).status).toBe(400);
    expect((await call(TEST_ADMIN_TOKEN, 'POST', '/keys', { name: 'nowhere', scopes: ['admin:read'], tenantId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });
});
