import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi } from '../support/scim-groups.js';
import {
  ACCESS_GROUP,
  ACCESS_USER,
  expectRefusalNaming,
  expectStatus,
  grantsIn,
  librariesAdmin,
  type LibrariesAdmin,
  type LibraryView,
  libraryRefs,
  type ListResponse,
  sortedIds,
  storedGrants,
  storedHolderIds,
  storedLibraryIds,
  USER_LIBRARIES,
} from '../support/scim-libraries.js';
import { countUserRows, patchOp, USER_SCHEMA, usersApi, type ScimUser, type UsersApi } from '../support/scim-users.js';

describe.each(databaseKinds())('Libraries granted to users on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let admin: LibrariesAdmin;
  let users: UsersApi;
  let groups: GroupsApi;
  let atlas: LibraryView;
  let beacon: LibraryView;
  let compass: LibraryView;
  let userCounter = 0;

  /** A User body carrying the access extension with these grants. */
  const granting = (libraries: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => {
    userCounter += 1;
    return { schemas: [USER_SCHEMA, ACCESS_USER], userName: `grantee${userCounter}@example.com`, [ACCESS_USER]: { libraries }, ...extra };
  };
  const newUser = async (libraries: unknown[] = []): Promise<string> => {
    const response = await users.create(libraries.length ? granting(libraries) : { userName: `plain${++userCounter}@example.com` });
    expectStatus(response, 201);
    return response.body.id;
  };
  const stored = (userId: string) => storedLibraryIds(roster, 'user', tenantId, userId);
  const answered = async (userId: string) => {
    const response = await users.get(userId);
    expectStatus(response, 200);
    return grantsIn(response.body, ACCESS_USER) ?? [];
  };
  const holdersByFilter = async (libraryId: string): Promise<string[]> => {
    const filter = `${ACCESS_USER}:libraries.value eq "${libraryId}"`;
    const response = await roster.http.get<ListResponse<ScimUser>>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}`, { token: users.token });
    expectStatus(response, 200);
    return sortedIds(response.body.Resources.map((user) => user.id));
  };
  /** Everything a refused write must leave as it was: the tenant's users and every grant row. */
  const snapshot = async () => ({
    users: await countUserRows(roster, tenantId),
    userGrants: await storedGrants(roster, 'user', { tenantId }),
    groupGrants: await storedGrants(roster, 'group', { tenantId }),
  });

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    admin = librariesAdmin(roster, tenantId);
    compass = await admin.add('Compass');
    atlas = await admin.add('Atlas');
    beacon = await admin.add('Beacon');
  });
  afterAll(() => roster.close());

  describe('on create', () => {
    it.each<[string, (library: LibraryView) => unknown]>([
      ['a plain string id', (library) => library.id],
      ['a plain string displayName in another case', (library) => library.displayName.toUpperCase()],
      ['{value: id}', (library) => ({ value: library.id })],
      ['{value: displayName} in another case', (library) => ({ value: library.displayName.toLowerCase() })],
    ])('accepts %s, stores the id and answers {value, display, $ref}', async (_label, name) => {
      const response = await users.create(granting([name(beacon)]));
      expectStatus(response, 201);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(beacon));
      expect(response.body.schemas).toContain(ACCESS_USER);
      expect(await stored(response.body.id)).toEqual([beacon.id]);
      expect((await users.get(response.body.id)).body).toEqual(response.body);
    });

    it('answers several grants sorted by displayName, whatever order they were sent in', async () => {
      const response = await users.create(granting([compass.id, { value: 'atlas' }, beacon.displayName]));
      expectStatus(response, 201);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(atlas, beacon, compass));
      expect(grantsIn(response.body, ACCESS_USER)!.map((ref) => ref.display)).toEqual(['Atlas', 'Beacon', 'Compass']);
      expect(await stored(response.body.id)).toEqual(sortedIds([atlas.id, beacon.id, compass.id]));
    });

    it('lists no grants for a user created without any', async () => {
      const id = await newUser();
      expect(await answered(id)).toEqual([]);
      expect(await stored(id)).toEqual([]);
    });

    it.each<[string, () => Promise<string>]>([
      ['an unknown displayName', async () => 'No Such Library'],
      ['an unknown id', async () => '00000000-0000-4000-8000-00000000abcd'],
      ['a deleted library', async () => (await admin.add('Deleted Before Grant')).id],
    ])('refuses %s with 400 invalidValue naming it, and creates no user', async (label, name) => {
      const bad = await name();
      if (label === 'a deleted library') expectStatus(await admin.delete(bad), 204);
      const before = await snapshot();
      const body = granting([atlas.id, bad]);
      const response = await users.create(body);
      expectRefusalNaming(response, bad);
      expect(await snapshot()).toEqual(before);
      const byName = await roster.http.get<ListResponse<ScimUser>>(`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${String(body.userName)}"`)}`, { token: users.token });
      expect(byName.body.totalResults).toBe(0);
    });
  });

  describe('on PUT', () => {
    it('replaces the grants with the ones the PUT sends', async () => {
      const id = await newUser([atlas.id, compass.id]);
      const userName = (await users.get(id)).body.userName;
      const response = await users.put(id, { schemas: [USER_SCHEMA, ACCESS_USER], userName, [ACCESS_USER]: { libraries: [{ value: 'BEACON' }] } });
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(beacon));
      expect(await stored(id)).toEqual([beacon.id]);
    });

    it("removes the user's own grants when the PUT carries no libraries, and leaves its groups' grants", async () => {
      const id = await newUser([atlas.id, beacon.id]);
      const group = await groups.create({ schemas: [GROUP_SCHEMA, ACCESS_GROUP], displayName: 'Kept Through PUT', members: [{ value: id }], [ACCESS_GROUP]: { libraries: [compass.id] } });
      expectStatus(group, 201);
      const userName = (await users.get(id)).body.userName;
      const response = await users.put(id, { schemas: [USER_SCHEMA], userName, displayName: 'No grants any more' });
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER) ?? []).toEqual([]);
      expect(await stored(id)).toEqual([]);
      expect(await answered(id)).toEqual([]);
      expect((await admin.accessOf(id)).libraries).toEqual([{ id: compass.id, displayName: 'Compass' }]);
      expect(await storedLibraryIds(roster, 'group', tenantId, group.body.id)).toEqual([compass.id]);
    });

    it('refuses a PUT naming an unknown library and keeps the user as it was', async () => {
      const id = await newUser([atlas.id]);
      const before = (await users.get(id)).body;
      const response = await users.put(id, { schemas: [USER_SCHEMA, ACCESS_USER], userName: before.userName, displayName: 'Changed', [ACCESS_USER]: { libraries: ['Atlantis'] } });
      expectRefusalNaming(response, 'Atlantis');
      expect((await users.get(id)).body).toEqual(before);
      expect(await stored(id)).toEqual([atlas.id]);
    });
  });

  describe('on PATCH', () => {
    it('adds grants with path ...:libraries; a library already granted is a no-op', async () => {
      const id = await newUser([atlas.id]);
      const response = await users.patch(id, patchOp({ op: 'add', path: USER_LIBRARIES, value: [{ value: atlas.id }, { value: 'compass' }] }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(atlas, compass));
      expect(await stored(id)).toEqual(sortedIds([atlas.id, compass.id]));
    });

    it('removes one grant with path ...:libraries[value eq "id"]', async () => {
      const id = await newUser([atlas.id, beacon.id, compass.id]);
      const response = await users.patch(id, patchOp({ op: 'remove', path: `${USER_LIBRARIES}[value eq "${beacon.id}"]` }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(atlas, compass));
      expect(await stored(id)).toEqual(sortedIds([atlas.id, compass.id]));
    });

    it('replaces all grants with path ...:libraries', async () => {
      const id = await newUser([atlas.id, beacon.id]);
      const response = await users.patch(id, patchOp({ op: 'replace', path: USER_LIBRARIES, value: [compass.displayName] }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(compass));
      expect(await stored(id)).toEqual([compass.id]);
    });

    it('removes all grants with path ...:libraries and no value', async () => {
      const id = await newUser([atlas.id, beacon.id]);
      const response = await users.patch(id, patchOp({ op: 'remove', path: USER_LIBRARIES }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER) ?? []).toEqual([]);
      expect(await stored(id)).toEqual([]);
    });

    it('adds grants with a path-less add carrying the extension', async () => {
      const id = await newUser([atlas.id]);
      const response = await users.patch(id, patchOp({ op: 'add', value: { [ACCESS_USER]: { libraries: [{ value: beacon.id }] } } }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(atlas, beacon));
      expect(await stored(id)).toEqual(sortedIds([atlas.id, beacon.id]));
    });

    it('replaces all grants with a path-less replace carrying the extension', async () => {
      const id = await newUser([atlas.id, beacon.id]);
      const response = await users.patch(id, patchOp({ op: 'replace', value: { [ACCESS_USER]: { libraries: ['compass'] } } }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(compass));
      expect(await stored(id)).toEqual([compass.id]);
    });

    it('adds grants with the extension URN as path, as the path-less add does', async () => {
      const id = await newUser([atlas.id]);
      const response = await users.patch(id, patchOp({ op: 'add', path: ACCESS_USER, value: { libraries: [beacon.id] } }));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(atlas, beacon));
      expect(await stored(id)).toEqual(sortedIds([atlas.id, beacon.id]));
    });

    it('removes every grant with a remove of the extension URN as path', async () => {
      const id = await newUser([atlas.id, beacon.id]);
      const response = await users.patch(id, patchOp({ op: 'remove', path: ACCESS_USER }));
      expectStatus(response, 200);
      expect(response.body).not.toHaveProperty(ACCESS_USER);
      expect(response.body.schemas).toEqual([USER_SCHEMA]);
      expect(await stored(id)).toEqual([]);
      expect((await users.get(id)).body).toEqual(response.body);
    });

    it('applies several grant operations in one request, in order', async () => {
      const id = await newUser([atlas.id]);
      const response = await users.patch(
        id,
        patchOp(
          { op: 'add', path: USER_LIBRARIES, value: [beacon.id, compass.id] },
          { op: 'remove', path: `${USER_LIBRARIES}[value eq "${atlas.id}"]` },
          { op: 'remove', path: `${USER_LIBRARIES}[value eq "${compass.id}"]` },
        ),
      );
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_USER)).toEqual(libraryRefs(beacon));
      expect(await stored(id)).toEqual([beacon.id]);
    });

    it.each<[string, (bad: string) => unknown[]]>([
      ['an add', (bad) => [{ op: 'add', path: USER_LIBRARIES, value: [{ value: 'beacon' }, { value: bad }] }]],
      ['a replace', (bad) => [{ op: 'replace', path: USER_LIBRARIES, value: [bad] }]],
      ['a path-less add', (bad) => [{ op: 'add', value: { [ACCESS_USER]: { libraries: [bad] } } }]],
      ['a later operation of the request', (bad) => [{ op: 'remove', path: USER_LIBRARIES }, { op: 'add', path: USER_LIBRARIES, value: [bad] }]],
    ])('refuses an unknown library in %s with 400 invalidValue naming it, changing nothing', async (_label, operations) => {
      const id = await newUser([atlas.id]);
      const before = (await users.get(id)).body;
      const response = await users.patch(id, patchOp(...operations('Unheard Of Library')));
      expectRefusalNaming(response, 'Unheard Of Library');
      expect((await users.get(id)).body).toEqual(before);
      expect(await stored(id)).toEqual([atlas.id]);
    });
  });

  describe('reading grants', () => {
    it('answers the current displayName of a granted library after a rename', async () => {
      const library = await admin.add('Before Rename');
      const id = await newUser([library.id]);
      expectStatus(await admin.patch(library.id, { displayName: 'After Rename' }), 200);
      expect(await answered(id)).toEqual(libraryRefs({ id: library.id, displayName: 'After Rename' }));
      expect(await stored(id)).toEqual([library.id]);
    });

    it('filters users by ...:libraries.value: the direct holders only, not holders through a group', async () => {
      const library = await admin.add('Filtered Library');
      const [first, second] = [await newUser([library.id]), await newUser([{ value: 'filtered library' }, atlas.id])];
      const throughGroup = await newUser();
      await newUser([atlas.id]);
      const group = await groups.create({ schemas: [GROUP_SCHEMA, ACCESS_GROUP], displayName: 'Filter Group', members: [{ value: throughGroup }], [ACCESS_GROUP]: { libraries: [library.id] } });
      expectStatus(group, 201);
      expect(await holdersByFilter(library.id)).toEqual(sortedIds([first, second]));
      expect(await storedHolderIds(roster, 'user', tenantId, library.id)).toEqual(sortedIds([first, second]));
      expectStatus(await users.patch(second, patchOp({ op: 'remove', path: `${USER_LIBRARIES}[value eq "${library.id}"]` })), 200);
      expect(await holdersByFilter(library.id)).toEqual([first]);
    });
  });
});
