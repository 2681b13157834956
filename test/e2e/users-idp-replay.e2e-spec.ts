import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { idpFixture } from '../support/idp-fixtures.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { ENTERPRISE, USER_SCHEMA, usersApi, type ScimUser, type UsersApi } from '../support/scim-users.js';

describe.each(databaseKinds())('Users: replaying Entra ID and Okta requests on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;

  beforeAll(async () => {
    roster = await startRoster(kind);
    users = usersApi(roster, await requestAccessToken(roster.http, await createTenantWithConnection(roster.http)));
  });
  afterAll(() => roster.close());

  /** The user as GET returns it, after checking the write answered `status` with that same user. */
  async function readBack(id: string, written: { status: number; body: ScimUser }, status = 200): Promise<ScimUser> {
    expect(written.status).toBe(status);
    const read = await users.get(id);
    expect(read.status).toBe(200);
    expect(written.body).toEqual(read.body);
    expect(read.headers.get('etag')).toBe(read.body.meta.version);
    return read.body;
  }

  it('provisions, updates, sets the manager of, disables and deletes a user as Entra ID does', async () => {
    const manager = await users.create({ userName: 'entra-manager@testuser.com', displayName: 'The Manager' });
    expect(manager.status).toBe(201);

    const created = await users.post(idpFixture('entra', '01-create-user.json'));
    const id = created.body.id;
    let user = await readBack(id, created, 201);
    expect(user).toEqual({
      schemas: expect.arrayContaining([USER_SCHEMA, ENTERPRISE]),
      id,
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com',
      active: true,
      displayName: 'Test User',
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      [ENTERPRISE]: { department: 'Marketing' },
      meta: expect.objectContaining({ resourceType: 'User', version: 'W/"1"', location: `https://roster.example.test/scim/v2/Users/${id}` }),
    });
    expect(user.schemas).toHaveLength(2);

    user = await readBack(id, await users.patch(id, idpFixture('entra', '02-patch-attributes.json')));
    expect(user.emails).toEqual([{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    expect(user.name).toEqual({ formatted: 'givenName familyName', familyName: 'familyName', givenName: 'updatedGivenName' });
    expect(user.addresses).toEqual([{ type: 'work', streetAddress: '1 Microsoft Way' }]);
    expect(user[ENTERPRISE]).toEqual({ department: 'Sales' });
    expect(user.userName).toBe('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com');
    expect(user.active).toBe(true);
    expect(user.meta.version).toBe('W/"2"');

    user = await readBack(id, await users.patch(id, idpFixture('entra', '03-patch-add-manager.json', { managerId: manager.body.id })));
    expect(user[ENTERPRISE]).toEqual({ department: 'Sales', manager: expect.objectContaining({ value: manager.body.id }) });
    expect(user.meta.version).toBe('W/"3"');

    user = await readBack(id, await users.patch(id, idpFixture('entra', '04-patch-disable.json')));
    expect(user.active).toBe(false);
    expect(user.emails).toEqual([{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    expect(user.meta.version).toBe('W/"4"');

    expect((await users.delete(id)).status).toBe(204);
    expect((await users.get(id)).status).toBe(404);
    expect((await users.get(manager.body.id)).status).toBe(200);
  });

  it('provisions, replaces, deactivates and reactivates a user as Okta does, never echoing the password', async () => {
    const created = await users.post(idpFixture('okta', '01-create-user.json'));
    const id = created.body.id;
    expect(created.text).not.toContain('1mz050nq');
    let user = await readBack(id, created, 201);
    expect(user).toEqual({
      schemas: [USER_SCHEMA],
      id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      meta: expect.objectContaining({ resourceType: 'User', version: 'W/"1"' }),
    });

    const replaced = await users.put(id, idpFixture('okta', '02-put-user.json', { id }));
    expect(replaced.text).not.toContain('2nz160or');
    user = await readBack(id, replaced);
    expect(user).toEqual({
      schemas: [USER_SCHEMA],
      id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Another Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      meta: expect.objectContaining({ version: 'W/"2"', created: created.body.meta.created }),
    });

    user = await readBack(id, await users.patch(id, idpFixture('okta', '03-patch-deactivate.json')));
    expect(user.active).toBe(false);
    expect(user.displayName).toBe('Another Test User');
    expect(user.meta.version).toBe('W/"3"');

    user = await readBack(id, await users.patch(id, idpFixture('okta', '04-patch-reactivate.json')));
    expect(user.active).toBe(true);
    expect(user.name).toEqual({ givenName: 'Another', middleName: 'Test', familyName: 'User' });
    expect(user.meta.version).toBe('W/"4"');
    expect(user).not.toHaveProperty('password');
    expect(user).not.toHaveProperty('groups');
  });
});
