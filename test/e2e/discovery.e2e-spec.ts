import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

const LIMITS = 'urn:roster:params:scim:schemas:extension:limits:2.0:ServiceProviderConfig';

interface ListResponse<T> {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: T[];
}

interface SchemaRepresentation {
  id: string;
  attributes: { name: string; mutability: string; returned: string; maxLength?: number }[];
  meta: { location: string; resourceType: string };
}

describe.each(databaseKinds())('discovery on %s', (kind) => {
  let roster: RosterHarness;
  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  it('serves the ServiceProviderConfig without authentication, claiming exactly what is built', async () => {
    const response = await roster.http.get<Record<string, unknown>>('/scim/v2/ServiceProviderConfig');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(response.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig', LIMITS],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 200, maxPayloadSize: 1024 * 1024 },
      filter: { supported: true, maxResults: 1000 },
      [LIMITS]: { maxFilterLength: 4096, maxFilterDepth: 32 },
      changePassword: { supported: true },
      sort: { supported: true },
      pagination: { cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 100, maxPageSize: 1000 },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: 'https://roster.example.test/scim/v2/ServiceProviderConfig' },
    });
    // RFC 7643 §5 fixes the members of the core objects: a strict client refuses any other there.
    expect(response.body.filter).toEqual({ supported: true, maxResults: 1000 });
    expect(response.body.patch).toEqual({ supported: true });
    expect(response.body.pagination).toEqual({ cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 100, maxPageSize: 1000 });
  });

  it('lists every schema defined in code, without internal input limits', async () => {
    const response = await roster.http.get<ListResponse<SchemaRepresentation>>('/scim/v2/Schemas');
    expect(response.status).toBe(200);
    expect(response.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(response.body.totalResults).toBe(response.body.Resources.length);
    expect(response.body.Resources.map((schema) => schema.id).sort()).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:roster:params:scim:schemas:core:2.0:Library',
      'urn:roster:params:scim:schemas:extension:access:2.0:Group',
      'urn:roster:params:scim:schemas:extension:access:2.0:User',
      'urn:roster:params:scim:schemas:extension:notifications:2.0:User',
    ]);
    expect(response.text).not.toContain('maxLength');
    expect(response.text).not.toContain('maxItems');
  });

  it('serves one schema by URN, case-insensitively, with RFC 7643 characteristics', async () => {
    const response = await roster.http.get<SchemaRepresentation>('/scim/v2/Schemas/URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER');
    expect(response.status).toBe(200);
    expect(response.body.id).toBe('urn:ietf:params:scim:schemas:core:2.0:User');
    expect(response.body.meta).toEqual({
      resourceType: 'Schema',
      location: 'https://roster.example.test/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
    });
    const password = response.body.attributes.find((attribute) => attribute.name === 'password');
    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });

  it('answers a SCIM 404 for an unknown schema or resource type', async () => {
    for (const path of ['/scim/v2/Schemas/urn:nope', '/scim/v2/ResourceTypes/Nope']) {
      const response = await roster.http.get<{ status: string; schemas: string[] }>(path);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ status: '404', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    }
  });

  it('lists only resource types whose endpoints exist', async () => {
    const response = await roster.http.get<ListResponse<{ id: string; endpoint: string }>>('/scim/v2/ResourceTypes');
    expect(response.status).toBe(200);
    // Each resource module registers its type when it lands.
    expect(response.body.Resources.map((type) => type.id)).toEqual(['User', 'Group', 'Library']);
    // Every endpoint exists: a list without a token is refused for want of one, not for want of a route.
    for (const type of response.body.Resources) {
      const endpoint = await roster.http.get(`/scim/v2${type.endpoint}`);
      expect(endpoint.status).toBe(401);
    }
  });

  it('builds locations from PUBLIC_URL, never from the Host header', async () => {
    const response = await roster.http.get<{ meta: { location: string } }>('/scim/v2/ServiceProviderConfig', {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    expect(response.body.meta.location.startsWith('https://roster.example.test/')).toBe(true);
  });
});
