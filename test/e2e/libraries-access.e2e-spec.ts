import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi, type ScimGroup } from '../support/scim-groups.js';
import {
  ACCESS_GROUP,
  ACCESS_USER,
  accessLibraries,
  expectScimError,
  expectStatus,
  GROUP_LIBRARIES,
  grantsIn,
  type LibraryRef,
  librariesAdmin,
  type LibrariesAdmin,
  type LibraryView,
  libraryRefs,
  type ListResponse,
  storedHolderIds,
  storedLibraryIds,
  USER_LIBRARIES,
} from '../support/scim-libraries.js';
import { patchOp, USER_SCHEMA, usersApi, type ScimUser, type UsersApi } from '../support/scim-users.js';

describe.each(databaseKinds())('Effective libraries and the access answer on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let admin: LibrariesAdmin;
  let users: UsersApi;
  let groups: GroupsApi;
  let atlas: LibraryView;
  let beacon: LibraryView;
  let compass: LibraryView;
  let delta: LibraryView;
  let counter = 0;

  const newUser = async (libraries: unknown[] = [], extra: Record<string, unknown> = {}): Promise<ScimUser> => {
    counter += 1;
    const response = await users.create({ schemas: [USER_SCHEMA, ACCESS_USER], userName: `access${counter}@example.com`, [ACCESS_USER]: { libraries }, ...extra });
    expectStatus(response, 201);
    return response.body;
  };
  const newGroup = async (displayName: string, libraries: unknown[], members: string[]): Promise<ScimGroup> => {
    const response = await groups.create({ schemas: [GROUP_SCHEMA, ACCESS_GROUP], displayName, members: members.map((value) => ({ value })), [ACCESS_GROUP]: { libraries } });
    expectStatus(response, 201);
    return response.body;
  };
  const effective = async (userId: string) => (await admin.accessOf(userId)).libraries;
  const leave = async (group: ScimGroup, userId: string) =>
    expectStatus(await groups.patch(group.id, patchOp({ op: 'remove', path: `members[value eq "${userId}"]` })), 204);
  const byValue = (refs: LibraryRef[] | undefined) => [...(refs ?? [])].sort((a, b) => a.value.localeCompare(b.value));

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    admin = librariesAdmin(roster, tenantId);
    delta = await admin.add('Delta');
    beacon = await admin.add('Beacon');
    atlas = await admin.add('Atlas');
    compass = await admin.add('Compass');
  });
  afterAll(() => roster.close());

  describe('the union of own and group grants', () => {
    it("answers the user's own grants and its groups' grants, each once, sorted by displayName", async () => {
      const user = await newUser([compass.id, atlas.id]);
      const first = await newGroup('Union One', [beacon.id, atlas.id], [user.id]);
      const second = await newGroup('Union Two', [delta.id], [user.id]);
      const access = await admin.accessOf(user.id);
      expect(access).toMatchObject({ active: true, libraries: accessLibraries(atlas, beacon, compass, delta) });
      expect(access.libraries.map((library) => library.displayName)).toEqual(['Atlas', 'Beacon', 'Compass', 'Delta']);
      expect(access.groups.map((group) => group.id).sort()).toEqual([first.id, second.id].sort());
      expect(access.roles).toEqual(expect.arrayContaining(['Union One', 'Union Two']));
      expect(grantsIn((await users.get(user.id)).body, ACCESS_USER)).toEqual(libraryRefs(atlas, compass));
    });

    it('revokes a group library on leaving unless the user itself or another group still grants it', async () => {
      const user = await newUser([atlas.id]);
      const one = await newGroup('Leave One', [atlas.id, beacon.id], [user.id]);
      const two = await newGroup('Leave Two', [beacon.id], [user.id]);
      const three = await newGroup('Leave Three', [compass.id], [user.id]);
      expect(await effective(user.id)).toEqual(accessLibraries(atlas, beacon, compass));
      await leave(one, user.id);
      expect(await effective(user.id)).toEqual(accessLibraries(atlas, beacon, compass));
      await leave(two, user.id);
      expect(await effective(user.id)).toEqual(accessLibraries(atlas, compass));
      expectStatus(await groups.patch(three.id, patchOp({ op: 'remove', path: 'members' })), 204);
      expect(await effective(user.id)).toEqual(accessLibraries(atlas));
      expectStatus(await users.patch(user.id, patchOp({ op: 'remove', path: USER_LIBRARIES })), 200);
      expect(await effective(user.id)).toEqual([]);
      expect(await storedLibraryIds(roster, 'group', tenantId, one.id)).toEqual([atlas.id, beacon.id].sort());
    });

    it("follows changes of a group's grants and of a library's displayName", async () => {
      const user = await newUser();
      const library = await admin.add('Zeta Before');
      const group = await newGroup('Following Group', [], [user.id]);
      expectStatus(await groups.patch(group.id, patchOp({ op: 'add', path: GROUP_LIBRARIES, value: [library.id] })), 204);
      expect(await effective(user.id)).toEqual([{ id: library.id, displayName: 'Zeta Before' }]);
      expectStatus(await admin.patch(library.id, { displayName: 'Aardvark After' }), 200);
      expect(await effective(user.id)).toEqual([{ id: library.id, displayName: 'Aardvark After' }]);
      expectStatus(await groups.patch(group.id, patchOp({ op: 'remove', path: `${GROUP_LIBRARIES}[value eq "${library.id}"]` })), 204);
      expect(await effective(user.id)).toEqual([]);
    });
  });

  describe('the lifecycle of a user', () => {
    it('answers no roles and no libraries while a user is inactive, and gives them back when it is reactivated', async () => {
      const user = await newUser([atlas.id], { roles: [{ value: 'guest' }] });
      await newGroup('Inactive Group', [beacon.id], [user.id]);
      const active = await admin.accessOf(user.id);
      expect(active).toMatchObject({ active: true, libraries: accessLibraries(atlas, beacon) });
      expect(active.roles).toEqual(expect.arrayContaining(['guest', 'Inactive Group']));
      expectStatus(await users.patch(user.id, patchOp({ op: 'replace', path: 'active', value: false })), 200);
      expect(await admin.accessOf(user.id)).toMatchObject({ active: false, roles: [], libraries: [] });
      expect(grantsIn((await users.get(user.id)).body, ACCESS_USER)).toEqual(libraryRefs(atlas));
      expectStatus(await users.patch(user.id, patchOp({ op: 'replace', path: 'active', value: true })), 200);
      const reactivated = await admin.accessOf(user.id);
      expect(reactivated).toMatchObject({ active: true, libraries: accessLibraries(atlas, beacon) });
      expect([...reactivated.roles].sort()).toEqual([...active.roles].sort());
    });

    it('answers 404 for a soft-deleted user', async () => {
      const user = await newUser([atlas.id]);
      expectStatus(await users.delete(user.id), 204);
      expectScimError(await admin.access(user.id), 404);
    });

    it('restores a user by POST with only the grants of the POST body', async () => {
      const user = await newUser([atlas.id]);
      const group = await newGroup('Restore Group', [beacon.id], [user.id]);
      expectStatus(await users.delete(user.id), 204);
      const restored = await users.create({ schemas: [USER_SCHEMA, ACCESS_USER], userName: user.userName, [ACCESS_USER]: { libraries: [compass.id] } });
      expectStatus(restored, 201);
      expect(restored.body.id).toBe(user.id);
      expect(grantsIn(restored.body, ACCESS_USER)).toEqual(libraryRefs(compass));
      expect(await storedLibraryIds(roster, 'user', tenantId, user.id)).toEqual([compass.id]);
      expect(await admin.accessOf(user.id)).toMatchObject({ active: true, libraries: accessLibraries(compass), groups: [] });
      expect(await storedLibraryIds(roster, 'group', tenantId, group.id)).toEqual([beacon.id]);
    });

    it('restores a user by POST without the extension with no grants at all', async () => {
      const user = await newUser([atlas.id, beacon.id]);
      expectStatus(await users.delete(user.id), 204);
      const restored = await users.create({ userName: user.userName });
      expectStatus(restored, 201);
      expect(restored.body.id).toBe(user.id);
      expect(grantsIn(restored.body, ACCESS_USER) ?? []).toEqual([]);
      expect(await storedLibraryIds(roster, 'user', tenantId, user.id)).toEqual([]);
      expect((await admin.accessOf(user.id)).libraries).toEqual([]);
    });
  });

  describe('deleting a library', () => {
    it('removes every grant of it, direct and through groups, and keeps the users, the groups and their other grants', async () => {
      const doomed = await admin.add('Doomed Shelf');
      const direct = await newUser([doomed.id, atlas.id]);
      const throughGroup = await newUser();
      const both = await newUser([doomed.id]);
      const group = await newGroup('Doomed Shelf Readers', [doomed.id, beacon.id], [throughGroup.id, both.id]);
      for (const user of [direct, throughGroup, both]) expect((await effective(user.id)).map((library) => library.id)).toContain(doomed.id);

      expectStatus(await admin.delete(doomed.id), 204);

      expect(await effective(direct.id)).toEqual(accessLibraries(atlas));
      expect(await effective(throughGroup.id)).toEqual(accessLibraries(beacon));
      expect(await effective(both.id)).toEqual(accessLibraries(beacon));
      const directRead = await users.get(direct.id);
      expectStatus(directRead, 200);
      expect(grantsIn(directRead.body, ACCESS_USER)).toEqual(libraryRefs(atlas));
      const bothRead = await users.get(both.id);
      expectStatus(bothRead, 200);
      expect(grantsIn(bothRead.body, ACCESS_USER) ?? []).toEqual([]);
      const groupRead = await groups.get(group.id);
      expectStatus(groupRead, 200);
      expect(grantsIn(groupRead.body, ACCESS_GROUP)).toEqual(libraryRefs(beacon));
      expect((await groups.memberIds(group.id)).sort()).toEqual([throughGroup.id, both.id].sort());
      expect(await storedHolderIds(roster, 'user', tenantId, doomed.id)).toEqual([]);
      expect(await storedHolderIds(roster, 'group', tenantId, doomed.id)).toEqual([]);
      expect(await storedLibraryIds(roster, 'user', tenantId, direct.id)).toEqual([atlas.id]);
      expect(await storedLibraryIds(roster, 'group', tenantId, group.id)).toEqual([beacon.id]);
      const filter = encodeURIComponent(`${ACCESS_USER}:libraries.value eq "${doomed.id}"`);
      const holders = await roster.http.get<ListResponse<ScimUser>>(`/scim/v2/Users?filter=${filter}`, { token: users.token });
      expectStatus(holders, 200);
      expect(holders.body.totalResults).toBe(0);
    });
  });

  describe('effectiveLibraries and effectiveRoles on the User resource', () => {
    it('leaves them out of answers unless asked for', async () => {
      const user = await newUser([atlas.id], { roles: [{ value: 'guest' }] });
      await newGroup('Requested Group', [beacon.id], [user.id]);
      const read = await users.get(user.id);
      expectStatus(read, 200);
      expect(read.body[ACCESS_USER]).toEqual({ libraries: libraryRefs(atlas) });
      const patched = await users.patch(user.id, patchOp({ op: 'replace', path: 'displayName', value: 'Requested' }));
      expectStatus(patched, 200);
      expect(patched.body[ACCESS_USER]).toEqual({ libraries: libraryRefs(atlas) });
      const listed = await roster.http.get<ListResponse<ScimUser>>(`/scim/v2/Users?filter=${encodeURIComponent(`id eq "${user.id}"`)}`, { token: users.token });
      expect(listed.body.Resources?.[0]?.[ACCESS_USER]).toEqual({ libraries: libraryRefs(atlas) });
    });

    it('answers effectiveLibraries as {value, display, $ref} of own and group grants when asked for', async () => {
      const user = await newUser([atlas.id]);
      await newGroup('Effective Libraries Group', [beacon.id, atlas.id], [user.id]);
      const read = await users.get(user.id, `?attributes=${encodeURIComponent(`${ACCESS_USER}:effectiveLibraries`)}`);
      expectStatus(read, 200);
      const extension = (read.body[ACCESS_USER] ?? {}) as { effectiveLibraries?: LibraryRef[]; libraries?: unknown };
      expect(byValue(extension.effectiveLibraries)).toEqual(byValue(libraryRefs(atlas, beacon)));
      expect(extension.libraries).toBeUndefined();
      const filter = encodeURIComponent(`id eq "${user.id}"`);
      const listed = await roster.http.get<ListResponse<ScimUser>>(
        `/scim/v2/Users?filter=${filter}&attributes=${encodeURIComponent(`${ACCESS_USER}:effectiveLibraries`)}`,
        { token: users.token },
      );
      expectStatus(listed, 200);
      const listedExtension = listed.body.Resources?.[0]?.[ACCESS_USER] as { effectiveLibraries?: LibraryRef[] } | undefined;
      expect(byValue(listedExtension?.effectiveLibraries)).toEqual(byValue(libraryRefs(atlas, beacon)));
    });

    it('answers effectiveRoles as the own roles together with the roles of the groups when asked for', async () => {
      const user = await newUser([], { roles: [{ value: 'guest' }] });
      await newGroup('Effective Roles Group', [], [user.id]);
      const read = await users.get(user.id, `?attributes=${encodeURIComponent(`${ACCESS_USER}:effectiveRoles`)}`);
      expectStatus(read, 200);
      const roles = (read.body[ACCESS_USER] as { effectiveRoles?: string[] } | undefined)?.effectiveRoles ?? [];
      expect([...roles].sort()).toEqual(['Effective Roles Group', 'guest'].sort());
      expect([...roles].sort()).toEqual([...(await admin.accessOf(user.id)).roles].sort());
    });
  });
});
