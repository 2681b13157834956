import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, type ScimGroup } from '../support/scim-groups.js';
import { expectScimError, expectStatus, librariesAdmin, type ListResponse, SEARCH_REQUEST } from '../support/scim-libraries.js';
import { countUserRows, patchOp, USER_SCHEMA, type ScimUser } from '../support/scim-users.js';

const SCIM = '/scim/v2';

/** A Postman collection of a vendor sends `/Users/`: every SCIM path answers with a slash as without. */
describe.each(databaseKinds())('Paths with a trailing slash on %s', (kind) => {
  let roster: RosterHarness;
  let connection: CreatedConnection;
  let token: string;

  beforeAll(async () => {
    roster = await startRoster(kind);
    connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
  });
  afterAll(() => roster.close());

  it('creates, reads, lists, replaces, patches and deletes a user through /Users/ and /Users/{id}/', async () => {
    const created = await roster.http.post<ScimUser>(`${SCIM}/Users/`, { token, body: { schemas: [USER_SCHEMA], userName: 'slash@example.com' } });
    expectStatus(created, 201);
    expect(created.headers.get('location')).toBe(`https://roster.example.test${SCIM}/Users/${created.body.id}`);
    const path = `${SCIM}/Users/${created.body.id}/`;

    const read = await roster.http.get<ScimUser>(path, { token });
    expectStatus(read, 200);
    expect(read.body).toEqual(created.body);
    const listed = await roster.http.get<ListResponse<ScimUser>>(`${SCIM}/Users/?filter=${encodeURIComponent('userName eq "slash@example.com"')}`, { token });
    expectStatus(listed, 200);
    expect(listed.body.Resources.map((user) => user.id)).toEqual([created.body.id]);

    const replaced = await roster.http.request<ScimUser>('PUT', path, { token, body: { schemas: [USER_SCHEMA], userName: 'slash@example.com', title: 'Put' } });
    expectStatus(replaced, 200);
    const patched = await roster.http.patch<ScimUser>(path, { token, body: patchOp({ op: 'replace', path: 'title', value: 'Patched' }) });
    expectStatus(patched, 200);
    expect((await roster.http.get<ScimUser>(`${SCIM}/Users/${created.body.id}`, { token })).body).toMatchObject({ title: 'Patched', meta: { version: 'W/"3"' } });

    expectStatus(await roster.http.delete(path, { token }), 204);
    expectScimError(await roster.http.get(path, { token }), 404);
    // Soft-deleted: the row stays, invisible.
    expect(await countUserRows(roster, connection.tenantId)).toBe(1);
  });

  it('serves groups, libraries and the searches with a trailing slash', async () => {
    const group = await roster.http.post<ScimGroup>(`${SCIM}/Groups/`, { token, body: { schemas: [GROUP_SCHEMA], displayName: 'Slashers' } });
    expectStatus(group, 201);
    expectStatus(await roster.http.get(`${SCIM}/Groups/${group.body.id}/`, { token }), 200);
    const library = await librariesAdmin(roster, connection.tenantId).add('Slash Library');
    const read = await roster.http.get<{ id: string }>(`${SCIM}/Libraries/${library.id}/`, { token });
    expectStatus(read, 200);
    expect(read.body.id).toBe(library.id);
    // The one user of the first test is deleted by now.
    for (const [path, total] of [['/Users/.search/', 0], ['/Groups/.search/', 1], ['/Libraries/.search/', 1], ['/.search/', 2]] as const) {
      const searched = await roster.http.post<ListResponse<unknown>>(`${SCIM}${path}`, { token, body: { schemas: [SEARCH_REQUEST] } });
      expectStatus(searched, 200);
      expect(searched.body.totalResults).toBe(total);
    }
  });

  it('serves discovery, /Me and the admin API with a trailing slash', async () => {
    for (const path of ['/ServiceProviderConfig/', '/Schemas/', '/ResourceTypes/', '/ResourceTypes/User/', `/Schemas/${USER_SCHEMA}/`]) {
      expectStatus(await roster.http.get(`${SCIM}${path}`), 200);
    }
    expectScimError(await roster.http.get(`${SCIM}/Me/`, { token }), 501);
    const tenant = await roster.http.get<{ id: string }>(`/admin/tenants/${connection.tenantId}/`, { token: TEST_ADMIN_TOKEN });
    expectStatus(tenant, 200);
    expect(tenant.body.id).toBe(connection.tenantId);
  });

  it('answers a wrong method with a trailing slash 405 with the same Allow as without', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/Users/', 'GET, HEAD, POST'],
      ['PUT', '/Libraries/00000000-0000-4000-8000-000000000000/', 'GET, HEAD'],
      ['PATCH', '/Groups/', 'GET, HEAD, POST'],
    ]) {
      const response = await roster.http.request(method, `${SCIM}${path}`, { token });
      expectScimError(response, 405);
      expect(response.headers.get('allow')).toBe(allow);
    }
  });
});
