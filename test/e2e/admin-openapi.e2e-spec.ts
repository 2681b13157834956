import { Validator } from '@seriousme/openapi-schema-validator';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { servedRoutes } from '../support/served-routes.js';

interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string; type?: string; items?: { $ref?: string } } }> }>;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
}

const DOCS_ROUTES = new Set(['/admin/openapi.json', '/admin/docs', '/admin/docs/init.js', '/admin/docs/swagger-ui.css', '/admin/docs/swagger-ui-bundle.js']);
const ERROR_REF = '#/components/schemas/ScimErrorAnswer';

// The validator checks against the OpenAPI Initiative's JSON Schemas for 3.0 and 3.1.

/** `/admin/tenants/:tenantId` → `/admin/tenants/{tenantId}` (OpenAPI path templating). */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe.each(databaseKinds())('the admin API described by OpenAPI on %s', (kind) => {
  let roster: RosterHarness;
  let document: Document;

  beforeAll(async () => {
    roster = await startRoster(kind);
    const response = await roster.http.get<Document>('/admin/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(() => roster.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
  });

  it('would be refused by the validator if it were broken', async () => {
    const broken = structuredClone(document) as unknown as Record<string, unknown>;
    delete broken.info;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('describes every admin route the app serves, and nothing else', () => {
    const served = servedRoutes(roster.app)
      .filter((route) => route.path.startsWith('/admin/') && !DOCS_ROUTES.has(route.path))
      .map((route) => `${route.method} ${toOpenApiPath(route.path)}`)
      .sort();
    const described = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(served.length).toBeGreaterThanOrEqual(20);
    expect(described).toEqual(served);
  });

  it('gives every operation the admin bearer scheme, its answer and the SCIM error body', () => {
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, security: operation.security }).toEqual({ where, security: [{ adminToken: [] }] });
        const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
        expect({ where, success: success.length }).toEqual({ where, success: 1 });
        const [status] = success;
        if (status !== '204') expect({ where, body: operation.responses[status ?? '']?.content?.['application/json'] }).toMatchObject({ where, body: { schema: {} } });
        for (const error of ['400', '401', '404']) {
          expect({ where, error, schema: operation.responses[error]?.content?.['application/scim+json']?.schema }).toEqual({ where, error, schema: { $ref: ERROR_REF } });
        }
      }
    }
  });

  it('describes the request bodies by their validation classes', () => {
    const body = (method: string, path: string) => document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema.$ref;
    expect(body('post', '/admin/tenants')).toBe('#/components/schemas/CreateTenantDto');
    expect(body('patch', '/admin/tenants/{tenantId}')).toBe('#/components/schemas/UpdateTenantDto');
    expect(body('post', '/admin/tenants/{tenantId}/connections')).toBe('#/components/schemas/CreateConnectionDto');
    expect(body('post', '/admin/tenants/{tenantId}/connections/{connectionId}/tokens')).toBe('#/components/schemas/MintTokenDto');
    expect(body('post', '/admin/tenants/{tenantId}/purge')).toBe('#/components/schemas/PurgeDto');
    expect(document.components.schemas.CreatedConnectionAnswer).toMatchObject({ properties: { clientSecret: { type: 'string' } } });
    expect(document.components.schemas.ScimErrorAnswer).toMatchObject({ required: expect.arrayContaining(['schemas', 'status', 'detail']) });
  });

  it('serves a docs page and its assets without the admin token', async () => {
    const page = await roster.http.get('/admin/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('docs/swagger-ui-bundle.js');
    for (const asset of ['/admin/docs/init.js', '/admin/docs/swagger-ui.css', '/admin/docs/swagger-ui-bundle.js']) {
      const response = await roster.http.get(asset);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
    }
    expect((await roster.http.get('/admin/docs/init.js')).text).toContain("url: 'openapi.json'");
  });
});

describe('the admin API documents without ADMIN_TOKEN', () => {
  let roster: RosterHarness;
  beforeAll(async () => {
    roster = await startRoster('sqlite', { adminToken: undefined });
  });
  afterAll(() => roster.close());

  it.each(['/admin/openapi.json', '/admin/docs', '/admin/docs/swagger-ui-bundle.js'])('answers 404 at %s like the admin API', async (path) => {
    const response = await roster.http.get<{ status: string }>(path);
    expect(response.status).toBe(404);
    expect(response.body.status).toBe('404');
  });
});
