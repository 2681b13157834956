import { runCli } from '../../src/cli/run-cli.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { requestAccessToken } from '../support/bootstrap.js';
import { startRosterOn, type RosterHarness } from '../support/roster-harness.js';

function databaseUrl(database: TestDatabase): string {
  return database.options.kind === 'sqlite' ? `sqlite:${database.options.file}` : database.options.url;
}

async function cli(database: TestDatabase, ...argv: string[]) {
  const out: string[] = [];
  const errors: string[] = [];
  const code = await runCli(argv, { DATABASE_URL: databaseUrl(database) }, { out: (t) => out.push(t), error: (t) => errors.push(t) });
  return { code, out: out.join('\n'), errors: errors.join('\n') };
}

async function withRoster<T>(database: TestDatabase, work: (roster: RosterHarness) => Promise<T>): Promise<T> {
  const roster = await startRosterOn(database.options);
  try {
    return await work(roster);
  } finally {
    await roster.app.close();
  }
}

describe.each(databaseKinds())('offline CLI on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  it('bootstraps a tenant and a connection whose credentials then work against the service', async () => {
    const tenant = await cli(database, '--json', 'tenant', 'create', '--name', 'Offline Co');
    expect(tenant.code).toBe(0);
    const created = JSON.parse(tenant.out) as { id: string; slug: string };
    expect(created.slug).toBe('offline-co');

    const connection = await cli(database, '--json', 'connection', 'create', '--tenant', 'offline-co', '--name', 'Okta', '--scopes', 'scim.read');
    expect(connection.code).toBe(0);
    const credentials = JSON.parse(connection.out) as { id: string; clientId: string; clientSecret: string; scopes: string[] };
    expect(credentials.scopes).toEqual(['scim.read']);

    const minted = await cli(database, '--json', 'token', 'mint', '--tenant', created.id, '--connection', credentials.id, '--days', '30');
    expect(minted.code).toBe(0);
    const secretToken = (JSON.parse(minted.out) as { token: string }).token;

    const listed = await cli(database, '--json', 'tenant', 'list');
    expect((JSON.parse(listed.out) as { id: string }[]).map((t) => t.id)).toContain(created.id);

    const roster: RosterHarness = await startRosterOn(database.options);
    try {
      const accessToken = await requestAccessToken(roster.http, { ...credentials, tenantId: created.id, connectionId: credentials.id });
      expect((await roster.http.get('/scim/v2/Me', { token: accessToken })).status).toBe(501);
      expect((await roster.http.get('/scim/v2/Me', { token: secretToken })).status).toBe(501);

      const revoked = await cli(database, 'connection', 'revoke', '--tenant', created.id, '--connection', credentials.id);
      expect(revoked.code).toBe(0);
      // Another process revoked it: this replica notices within its cache window; a new token request fails at once.
      const again = await roster.http.post('/oauth/token', {
        rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(again.status).toBe(401);
    } finally {
      await roster.app.close();
    }
  });

  it('creates, lists and deletes libraries, which SCIM then serves and no longer serves', async () => {
    const tenant = JSON.parse((await cli(database, '--json', 'tenant', 'create', '--name', 'Library Co')).out) as { id: string; slug: string };
    const created = await cli(database, '--json', 'library', 'create', '--tenant', tenant.slug, '--name', 'Handbooks', '--description', 'How we work');
    expect(created.code).toBe(0);
    const library = JSON.parse(created.out) as { id: string; displayName: string; description: string | null; externalId: string | null };
    expect(library).toMatchObject({ displayName: 'Handbooks', description: 'How we work', externalId: null });
    const duplicate = await cli(database, 'library', 'create', '--tenant', tenant.slug, '--name', 'HANDBOOKS');
    expect(duplicate.code).toBe(1);
    expect(duplicate.errors).toMatch(/^roster: displayName "HANDBOOKS" is already taken/);
    const listed = await cli(database, '--json', 'library', 'list', '--tenant', tenant.id);
    expect((JSON.parse(listed.out) as { id: string; displayName: string }[]).map((l) => [l.id, l.displayName])).toEqual([[library.id, 'Handbooks']]);

    const connection = JSON.parse((await cli(database, '--json', 'connection', 'create', '--tenant', tenant.slug, '--name', 'Reader', '--scopes', 'scim.read')).out) as {
      id: string;
      clientId: string;
      clientSecret: string;
    };
    // The service runs while the CLI is not: both open the same SQLite file in this one test process.
    const served = await withRoster(database, async (roster) => {
      const token = await requestAccessToken(roster.http, { ...connection, tenantId: tenant.id, connectionId: connection.id });
      return { token, answer: await roster.http.get<{ displayName: string }>(`/scim/v2/Libraries/${library.id}`, { token }) };
    });
    expect(served.answer.status).toBe(200);
    expect(served.answer.body.displayName).toBe('Handbooks');
    const deleted = await cli(database, 'library', 'delete', '--tenant', tenant.slug, '--library', library.id);
    expect(deleted.code).toBe(0);
    const gone = await withRoster(database, (roster) => roster.http.get(`/scim/v2/Libraries/${library.id}`, { token: served.token }));
    expect(gone.status).toBe(404);
    expect(JSON.parse((await cli(database, '--json', 'library', 'list', '--tenant', tenant.id)).out)).toEqual([]);
  });

  it('mints, lists and revokes scoped admin keys that the admin API then takes and refuses', async () => {
    const tenant = JSON.parse((await cli(database, '--json', 'tenant', 'create', '--name', 'Keyed Co')).out) as { id: string; slug: string };
    const created = await cli(database, '--json', 'admin-key', 'create', '--name', 'platform', '--scopes', 'access:read,admin:read', '--tenant', tenant.slug);
    expect(created.code).toBe(0);
    const minted = JSON.parse(created.out) as { id: string; key: string; scopes: string[]; tenantId: string };
    expect(minted).toMatchObject({ scopes: ['access:read', 'admin:read'], tenantId: tenant.id });
    const listed = JSON.parse((await cli(database, '--json', 'admin-key', 'list')).out) as { id: string; key?: string }[];
    expect(listed.find((key) => key.id === minted.id)?.key).toBeUndefined();
    const before = await withRoster(database, (roster) => roster.http.get(`/admin/tenants/${tenant.id}/roles`, { token: minted.key }));
    expect(before.status).toBe(200);
    expect((await cli(database, 'admin-key', 'revoke', '--id', minted.id)).code).toBe(0);
    const after = await withRoster(database, (roster) => roster.http.get(`/admin/tenants/${tenant.id}/roles`, { token: minted.key }));
    expect(after.status).toBe(401);
  });

  it('exits non-zero with one line for bad input', async () => {
    const unknownTenant = await cli(database, 'connection', 'create', '--tenant', 'nope', '--name', 'x');
    expect(unknownTenant.code).toBe(1);
    expect(unknownTenant.errors).toMatch(/^roster: Tenant "nope" not found/);
    const badScope = await cli(database, 'connection', 'list', '--tenant');
    expect(badScope.code).toBe(2);
  });
});
