import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import {
  ACCESS_GROUP,
  ACCESS_USER,
  expectScimError,
  expectStatus,
  LIBRARY_SCHEMA,
  libraryLocation,
  librariesAdmin,
  type LibrariesAdmin,
  type ListResponse,
  PUBLIC_URL,
  scimLibraries,
  type ScimLibraries,
} from '../support/scim-libraries.js';
import { storedRows } from '../support/stored-rows.js';

interface SchemaAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  mutability: string;
  returned: string;
  uniqueness?: string;
  subAttributes?: SchemaAttribute[];
}

interface SchemaRepresentation {
  id: string;
  attributes: SchemaAttribute[];
}

describe.each(databaseKinds())('Libraries: SCIM reads by id, methods and discovery on %s', (kind) => {
  let roster: RosterHarness;
  let admin: LibrariesAdmin;
  let scim: ScimLibraries;
  /** A token of another tenant, with the scope scim.read only. */
  let readOnly: ScimLibraries;
  let readOnlyTenantId: string;

  const attribute = (schema: SchemaRepresentation, name: string): SchemaAttribute | undefined =>
    schema.attributes.find((candidate) => candidate.name === name);

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    admin = librariesAdmin(roster, connection.tenantId);
    scim = scimLibraries(roster, await requestAccessToken(roster.http, connection));
    const readConnection = await createTenantWithConnection(roster.http, { scopes: ['scim.read'] });
    readOnly = scimLibraries(roster, await requestAccessToken(roster.http, readConnection));
    readOnlyTenantId = readConnection.tenantId;
  });
  afterAll(() => roster.close());

  describe('GET /Libraries/{id}', () => {
    it('answers the library as SCIM JSON with meta, Location-style $ref and an ETag equal to meta.version', async () => {
      const library = await admin.add('Engineering Docs', { description: 'Specs and RFCs', externalId: 'ext-eng' });
      const response = await scim.get(library.id);
      expectStatus(response, 200);
      expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(response.body).toEqual({
        schemas: [LIBRARY_SCHEMA],
        id: library.id,
        displayName: 'Engineering Docs',
        description: 'Specs and RFCs',
        externalId: 'ext-eng',
        meta: {
          resourceType: 'Library',
          created: expect.any(String),
          lastModified: expect.any(String),
          location: `${PUBLIC_URL}/scim/v2/Libraries/${library.id}`,
          version: expect.stringMatching(/^W\/"\d+"$/),
        },
      });
      expect(response.headers.get('etag')).toBe(response.body.meta.version);
      expect(Date.parse(response.body.meta.created)).toBe(Date.parse(library.createdAt));
      expect(Date.parse(response.body.meta.lastModified)).toBe(Date.parse(library.lastModified));
    });

    it('leaves description and externalId out when the library has none', async () => {
      const library = await admin.add('Bare Library');
      const response = await scim.get(library.id);
      expectStatus(response, 200);
      expect(Object.keys(response.body).sort()).toEqual(['displayName', 'id', 'meta', 'schemas']);
      expect(response.body.meta.location).toBe(libraryLocation(library.id));
    });

    it('answers 304 to If-None-Match with the current ETag, and 200 with the new version once the library changed', async () => {
      const library = await admin.add('Versioned Library');
      const first = await scim.get(library.id);
      const etag = first.headers.get('etag')!;
      const notModified = await scim.get(library.id, '', { 'if-none-match': etag });
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
      expectStatus(await admin.patch(library.id, { description: 'changed' }), 200);
      const changed = await scim.get(library.id, '', { 'if-none-match': etag });
      expectStatus(changed, 200);
      expect(changed.body.description).toBe('changed');
      expect(changed.body.meta.version).not.toBe(etag);
      expect(changed.headers.get('etag')).toBe(changed.body.meta.version);
      expect((await scim.get(library.id, '', { 'if-none-match': changed.body.meta.version })).status).toBe(304);
    });

    it('projects one library with attributes and excludedAttributes, always returning id and schemas', async () => {
      const library = await admin.add('Projected Library', { description: 'shown or not', externalId: 'ext-projected' });
      const only = await scim.get(library.id, '?attributes=displayName');
      expectStatus(only, 200);
      expect(only.body).not.toHaveProperty('description');
      expect(only.body).not.toHaveProperty('externalId');
      expect(only.body).toMatchObject({ id: library.id, schemas: [LIBRARY_SCHEMA], displayName: 'Projected Library' });
      const without = await scim.get(library.id, '?excludedAttributes=description');
      expect(without.body).not.toHaveProperty('description');
      expect(without.body).toMatchObject({ displayName: 'Projected Library', externalId: 'ext-projected' });
    });

    it('answers a SCIM 404 for an unknown id and for a deleted library', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', "' OR 1=1 --"]) expectScimError(await scim.get(id), 404);
      const library = await admin.add('Deleted Before Read');
      expectStatus(await admin.delete(library.id), 204);
      expectScimError(await scim.get(library.id), 404);
    });

    it("answers 404 for another tenant's library", async () => {
      const library = await admin.add('Not For Others');
      expectScimError(await readOnly.get(library.id), 404);
      expectStatus(await scim.get(library.id), 200);
    });
  });

  describe('what SCIM does not let a client do', () => {
    it.each([
      ['POST /Libraries', 'POST', false, { schemas: [LIBRARY_SCHEMA], displayName: 'Posted Through SCIM' }],
      ['PUT /Libraries/{id}', 'PUT', true, { schemas: [LIBRARY_SCHEMA], displayName: 'Put Through SCIM' }],
      ['PATCH /Libraries/{id}', 'PATCH', true, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Patched Through SCIM' }] }],
      ['DELETE /Libraries/{id}', 'DELETE', true, undefined],
    ])('answers %s with a SCIM 405 and Allow: GET, HEAD, changing nothing', async (_label, method, withId, body) => {
      const library = await admin.add(`Target of ${_label}`);
      const rowsBefore = await storedRows(roster, admin.tenantId, ['libraries']);
      const response = await scim.request(method, withId ? library.id : undefined, body);
      expectScimError(response, 405);
      expect((response.headers.get('allow') ?? '').split(/\s*,\s*/).sort()).toEqual(['GET', 'HEAD']);
      expect(await storedRows(roster, admin.tenantId, ['libraries'])).toEqual(rowsBefore);
      expect((await admin.get(library.id)).body).toEqual(library);
      expectStatus(await scim.get(library.id), 200);
    });
  });

  describe('scopes', () => {
    it('serves every read with a token that has scim.read only', async () => {
      const library = await librariesAdmin(roster, readOnlyTenantId).add('Readable Library');
      expectStatus(await readOnly.get(library.id), 200);
      const list = await readOnly.list();
      expectStatus(list, 200);
      expect(list.body.Resources.map((entry) => entry.id)).toEqual([library.id]);
      const search = await readOnly.search({ filter: 'displayName eq "readable library"' });
      expectStatus(search, 200);
      expect(search.body.Resources.map((entry) => entry.id)).toEqual([library.id]);
      const root = await readOnly.rootSearch({ filter: 'displayName eq "readable library"' });
      expectStatus(root, 200);
      expect(root.body.Resources.map((entry) => entry.id)).toEqual([library.id]);
    });
  });

  describe('discovery', () => {
    it('lists User, Group and Library in /ResourceTypes, in that order, and serves Library by id', async () => {
      const response = await roster.http.get<ListResponse<{ id: string; name: string; endpoint: string; schema: string }>>('/scim/v2/ResourceTypes');
      expectStatus(response, 200);
      expect(response.body.Resources.map((type) => type.id)).toEqual(['User', 'Group', 'Library']);
      const library = response.body.Resources[2];
      expect(library).toMatchObject({ id: 'Library', name: 'Library', endpoint: '/Libraries', schema: LIBRARY_SCHEMA });
      const one = await roster.http.get<Record<string, unknown>>('/scim/v2/ResourceTypes/Library');
      expectStatus(one, 200);
      expect(one.body).toMatchObject({ id: 'Library', endpoint: '/Libraries', schema: LIBRARY_SCHEMA });
    });

    it('serves the Library schema with displayName required and unique, and description', async () => {
      const response = await roster.http.get<SchemaRepresentation>(`/scim/v2/Schemas/${LIBRARY_SCHEMA}`);
      expectStatus(response, 200);
      expect(response.body.id).toBe(LIBRARY_SCHEMA);
      expect(attribute(response.body, 'displayName')).toMatchObject({ type: 'string', multiValued: false, required: true, uniqueness: 'server' });
      expect(attribute(response.body, 'description')).toMatchObject({ type: 'string', multiValued: false, required: false });
    });

    it('advertises libraries on both access extensions, and the effective attributes as readOnly, returned on request', async () => {
      const user = (await roster.http.get<SchemaRepresentation>(`/scim/v2/Schemas/${ACCESS_USER}`)).body;
      const libraries = attribute(user, 'libraries');
      expect(libraries).toMatchObject({ type: 'complex', multiValued: true });
      expect((libraries?.subAttributes ?? []).map((sub) => sub.name).sort()).toEqual(['$ref', 'display', 'value']);
      expect(attribute(user, 'effectiveLibraries')).toMatchObject({ multiValued: true, mutability: 'readOnly', returned: 'request' });
      expect(attribute(user, 'effectiveRoles')).toMatchObject({ multiValued: true, mutability: 'readOnly', returned: 'request' });
      const group = (await roster.http.get<SchemaRepresentation>(`/scim/v2/Schemas/${ACCESS_GROUP}`)).body;
      expect(group.attributes.map((entry) => entry.name).sort()).toEqual(['libraries', 'role']);
      expect(attribute(group, 'libraries')).toMatchObject({ type: 'complex', multiValued: true });
    });
  });
});
