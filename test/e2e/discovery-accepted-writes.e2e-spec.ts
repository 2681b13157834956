import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { ACCESS_GROUP, GROUP_SCHEMA, groupsApi, type GroupsApi } from '../support/scim-groups.js';
import type { ScimErrorResponse } from '../support/scim-users.js';
import { storedRows } from '../support/stored-rows.js';

const ACCESS_USER = 'urn:roster:params:scim:schemas:extension:access:2.0:User';

interface AttributeRepresentation {
  name: string;
  mutability: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeRepresentation[];
}

interface SchemaRepresentation {
  id: string;
  attributes: AttributeRepresentation[];
}

// Clients (and client libraries) check writes against /Schemas before sending them, so the served
// schemas must not offer a value or an attribute that the service then refuses.
describe.each(databaseKinds())('discovery offers only writes that are accepted, on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let groups: GroupsApi;

  const served = async (urn: string): Promise<SchemaRepresentation> => {
    const response = await roster.http.get<SchemaRepresentation>(`/scim/v2/Schemas/${urn}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const subAttribute = (schema: SchemaRepresentation, path: string): AttributeRepresentation | undefined => {
    const [name, sub] = path.split('.');
    return schema.attributes.find((a) => a.name === name)?.subAttributes?.find((a) => a.name === sub);
  };

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    groups = groupsApi(roster, await requestAccessToken(roster.http, connection));
  });
  afterAll(() => roster.close());

  it('describes Group members as users only, in the schema and in the list of schemas', async () => {
    const group = await served(GROUP_SCHEMA);
    expect(subAttribute(group, 'members.type')).toMatchObject({ canonicalValues: ['User'] });
    expect(subAttribute(group, 'members.$ref')).toMatchObject({ referenceTypes: ['User'] });
    expect(JSON.stringify(group.attributes)).not.toContain('"Group"');
    const list = await roster.http.get<{ Resources: SchemaRepresentation[] }>('/scim/v2/Schemas');
    expect(list.body.Resources.find((s) => s.id === GROUP_SCHEMA)).toEqual(group);
  });

  it('advertises libraries as grants of Library ids, display and $ref filled in by Roster, effective access read-only on request', async () => {
    expect((await served(ACCESS_GROUP)).attributes.map((a) => a.name)).toEqual(['role', 'libraries']);
    const user = await served(ACCESS_USER);
    expect(user.attributes.map((a) => a.name)).toEqual(['libraries', 'effectiveRoles', 'effectiveLibraries']);
    expect(subAttribute(user, 'libraries.$ref')).toMatchObject({ referenceTypes: ['Library'], mutability: 'readOnly' });
    expect(subAttribute(user, 'libraries.display')).toMatchObject({ mutability: 'readOnly' });
    for (const name of ['effectiveRoles', 'effectiveLibraries']) {
      expect(user.attributes.find((a) => a.name === name)).toMatchObject({ mutability: 'readOnly', returned: 'request' });
    }
  });

  it('refuses a group granting a library the tenant does not have with 400 invalidValue naming it, storing nothing', async () => {
    const before = await storedRows(roster, tenantId);
    const response = await groups.create({
      schemas: [GROUP_SCHEMA, ACCESS_GROUP],
      displayName: 'Library Readers',
      [ACCESS_GROUP]: { role: 'writer', libraries: [{ value: 'lib-1' }] },
    });
    expect(response.status).toBe(400);
    expect(response.body as unknown as ScimErrorResponse).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidValue',
      detail: 'library "lib-1" is not a library of this tenant',
    });
    expect(await storedRows(roster, tenantId)).toEqual(before);
  });

  it('refuses a member of type "Group" with 400 invalidValue, storing nothing', async () => {
    const existing = await groups.create({ displayName: 'Inner' });
    expect(existing.status).toBe(201);
    const before = await storedRows(roster, tenantId);
    const response = await groups.create({
      displayName: 'Outer',
      members: [{ value: existing.body.id, type: 'Group', $ref: `https://roster.example.test/scim/v2/Groups/${existing.body.id}` }],
    });
    expect(response.status).toBe(400);
    const error = response.body as unknown as ScimErrorResponse;
    expect(error).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(error.detail).toContain('nested groups are not supported');
    expect(await storedRows(roster, tenantId)).toEqual(before);
  });
});
