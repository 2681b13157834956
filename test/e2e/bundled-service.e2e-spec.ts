import { jest } from '@jest/globals';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { buildService, startChildService, type ChildService } from '../support/child-service.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { HttpClient } from '../support/http-client.js';
import { TEST_ADMIN_TOKEN } from '../support/roster-harness.js';
import { ENTERPRISE, PATCH_OP, USER_SCHEMA, type ScimUser } from '../support/scim-users.js';

// The service as `npm start` and the Docker image run it: dist/roster.mjs, one file bundled from
// tsc's output (scripts/bundle.mjs). What a bundle can break is what Nest, TypeORM and the rest
// find at run time: decorator metadata, class names, packages loaded by name or read from disk.
jest.setTimeout(120_000);

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** What the bundle holds: loading any of them from node_modules as well would undo the point of it (and load two copies). */
const BUNDLED = ['typeorm', '@nestjs/core', '@nestjs/common', '@nestjs/typeorm', '@nestjs/swagger', 'fastify', 'class-validator', 'class-transformer', 'rxjs', 'pino', 'prom-client', 'reflect-metadata'];

/** Packages the child loaded with CommonJS `require` from node_modules, as NODE_DEBUG=module reports each load. */
function packagesRequired(output: string): Set<string> {
  const loads = output.matchAll(/load "[^"]*node_modules\/((?:@[^/"]+\/)?[^/"]+)\//g);
  return new Set([...loads].map((load) => load[1] ?? ''));
}

beforeAll(() => buildService({ bundle: true }), 90_000);

describe.each(databaseKinds())('the bundled service (dist/roster.mjs) on %s', (kind) => {
  let database: TestDatabase;
  let child: ChildService | undefined;
  let http: HttpClient;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    child = await startChildService(database.options, { ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'warn', NODE_DEBUG: 'module' }, 'dist/roster.mjs');
    http = new HttpClient(child.baseUrl);
  });
  afterAll(async () => {
    if (child && child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    await database.drop();
  });

  it('loads from node_modules only what the bundle leaves outside (the database driver), not a second copy of what it holds', () => {
    const required = packagesRequired(child?.output() ?? '');
    expect(required).toContain(kind === 'sqlite' ? 'better-sqlite3' : 'pg');
    expect(BUNDLED.filter((name) => required.has(name))).toEqual([]);
  });

  it('provisions a user and a group over SCIM end to end, with a token from the admin API', async () => {
    const token = await requestAccessToken(http, await createTenantWithConnection(http));
    const created = await http.post<ScimUser>('/scim/v2/Users', {
      token,
      body: { schemas: [USER_SCHEMA, ENTERPRISE], userName: 'bundled.alice@example.com', active: true, [ENTERPRISE]: { department: 'R&D' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toContain('application/scim+json');
    const group = await http.post<{ id: string }>('/scim/v2/Groups', {
      token,
      body: { schemas: [GROUP_SCHEMA], displayName: 'writer', members: [{ value: created.body.id }] },
    });
    expect(group.status).toBe(201);

    const patched = await http.patch<ScimUser>(`/scim/v2/Users/${created.body.id}`, {
      token,
      body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
    });
    expect(patched.status).toBe(200);

    const found = await http.get<{ totalResults: number; Resources: ScimUser[] }>(
      `/scim/v2/Users?filter=${encodeURIComponent('userName eq "BUNDLED.alice@example.com"')}`,
      { token },
    );
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).toMatchObject({
      id: created.body.id,
      active: false,
      groups: [{ value: group.body.id, display: 'writer' }],
      [ENTERPRISE]: { department: 'R&D' },
    });
  });

  it('answers bad input with SCIM errors: a filter error and an admin body refused by its validation class', async () => {
    const token = await requestAccessToken(http, await createTenantWithConnection(http));
    const badFilter = await http.get<{ status: string; scimType: string }>('/scim/v2/Users?filter=userName%20zz%20%22x%22', { token });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const badTenant = await http.post<{ status: string }>('/admin/tenants', { token: TEST_ADMIN_TOKEN, body: { name: 42 } });
    expect(badTenant.status).toBe(400);
    expect(badTenant.body.status).toBe('400');
  });

  it('serves the admin OpenAPI document with its schemas named after the DTO classes, and Swagger UI from swagger-ui-dist', async () => {
    const document = await http.get<{ paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>('/admin/openapi.json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/admin/tenants', '/admin/tenants/{tenantId}/connections']));
    expect(Object.keys(document.body.components.schemas)).toEqual(expect.arrayContaining(['CreateTenantDto', 'ScimErrorAnswer']));
    // Names survive the bundle only through scripts/bundle-names.mjs (@nestjs/swagger even tells a
    // lazy `type: () => Dto` by the arrow's name): the document of tsc's own output is the judge.
    const unbundled = await startChildService(database.options, { ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'warn' }, 'dist/src/main.js');
    try {
      const expected = await new HttpClient(unbundled.baseUrl).get<{ servers?: unknown }>('/admin/openapi.json');
      expect({ ...document.body, servers: undefined }).toEqual({ ...expected.body, servers: undefined });
    } finally {
      unbundled.process.kill('SIGTERM');
      await unbundled.exited;
    }
    const css = await http.get('/admin/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.text.length).toBeGreaterThan(10_000);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    child?.process.kill('SIGTERM');
    expect(await child?.exited).toBe(0);
  });
});
