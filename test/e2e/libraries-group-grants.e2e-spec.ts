import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi, type ScimGroup } from '../support/scim-groups.js';
import {
  ACCESS_GROUP,
  ACCESS_USER,
  expectRefusalNaming,
  expectStatus,
  GROUP_LIBRARIES,
  grantsIn,
  librariesAdmin,
  type LibrariesAdmin,
  type LibraryView,
  libraryRefs,
  sortedIds,
  storedLibraryIds,
} from '../support/scim-libraries.js';
import { patchOp, usersApi, type UsersApi } from '../support/scim-users.js';
import { GROUP_TABLES, storedRows } from '../support/stored-rows.js';

describe.each(databaseKinds())('Libraries granted to groups on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let admin: LibrariesAdmin;
  let users: UsersApi;
  let groups: GroupsApi;
  let atlas: LibraryView;
  let beacon: LibraryView;
  let compass: LibraryView;
  let userCounter = 0;

  const newUser = async (): Promise<string> => {
    const response = await users.create({ userName: `group-grantee${++userCounter}@example.com` });
    expectStatus(response, 201);
    return response.body.id;
  };
  /** A Group body carrying the access extension with these grants (and a role when given). */
  const granting = (displayName: string, libraries: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    schemas: [GROUP_SCHEMA, ACCESS_GROUP],
    displayName,
    [ACCESS_GROUP]: { libraries, ...extra },
  });
  const newGroup = async (displayName: string, libraries: unknown[], members: string[] = []): Promise<ScimGroup> => {
    const response = await groups.create({ ...granting(displayName, libraries), members: members.map((value) => ({ value })) });
    expectStatus(response, 201);
    return response.body;
  };
  const stored = (groupId: string) => storedLibraryIds(roster, 'group', tenantId, groupId);
  const readGroup = async (groupId: string): Promise<ScimGroup> => {
    const response = await groups.get(groupId, '?excludedAttributes=members');
    expectStatus(response, 200);
    return response.body;
  };
  const tablesOfAGroup = [...GROUP_TABLES, 'group_library_grants', 'user_library_grants'];

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    admin = librariesAdmin(roster, tenantId);
    atlas = await admin.add('Atlas');
    beacon = await admin.add('Beacon');
    compass = await admin.add('Compass');
  });
  afterAll(() => roster.close());

  describe('on create and PUT', () => {
    it('creates a group granting libraries next to its default role, answered as {value, display, $ref}', async () => {
      const response = await groups.create(granting('Readers Group', [compass.id, { value: 'ATLAS' }]));
      expectStatus(response, 201);
      expect(response.body[ACCESS_GROUP]).toEqual({ role: 'Readers Group', libraries: libraryRefs(atlas, compass) });
      expect(response.body.schemas).toContain(ACCESS_GROUP);
      expect(await stored(response.body.id)).toEqual(sortedIds([atlas.id, compass.id]));
      expect((await groups.get(response.body.id)).body).toEqual(response.body);
    });

    it('keeps an explicit catalog role next to the libraries', async () => {
      const response = await groups.create(granting('Writers Group', ['beacon'], { role: 'writer' }));
      expectStatus(response, 201);
      expect(response.body[ACCESS_GROUP]).toEqual({ role: 'writer', libraries: libraryRefs(beacon) });
      expect(await stored(response.body.id)).toEqual([beacon.id]);
    });

    it.each([
      ['an unknown displayName', 'Nowhere Library'],
      ['an unknown id', '00000000-0000-4000-8000-00000000dcba'],
    ])('refuses %s with 400 invalidValue naming it, and stores no group, role, member or grant', async (_label, bad) => {
      const member = await newUser();
      const before = await storedRows(roster, tenantId, tablesOfAGroup);
      const response = await groups.create({ ...granting(`Refused ${_label}`, [atlas.id, bad]), members: [{ value: member }] });
      expectRefusalNaming(response, bad);
      expect(await storedRows(roster, tenantId, tablesOfAGroup)).toEqual(before);
      expect((await groups.list<{ totalResults: number }>(`filter=${encodeURIComponent(`displayName eq "Refused ${_label}"`)}`)).body.totalResults).toBe(0);
    });

    it('replaces the grants with PUT', async () => {
      const group = await newGroup('Put Group', [atlas.id, beacon.id]);
      const response = await groups.put(group.id, granting('Put Group', [{ value: compass.id }]));
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_GROUP)).toEqual(libraryRefs(compass));
      expect(await stored(group.id)).toEqual([compass.id]);
    });

    it('refuses a PUT naming an unknown library and keeps the group as it was', async () => {
      const group = await newGroup('Guarded Put Group', [atlas.id]);
      const before = await readGroup(group.id);
      const response = await groups.put(group.id, granting('Guarded Put Group Renamed', ['Nowhere']));
      expectRefusalNaming(response, 'Nowhere');
      expect(await readGroup(group.id)).toEqual(before);
      expect(await stored(group.id)).toEqual([atlas.id]);
    });
  });

  describe('on PATCH', () => {
    const A = () => atlas;
    const B = () => beacon;
    const C = () => compass;
    it.each<[string, () => LibraryView[], () => unknown, () => LibraryView[]]>([
      ['adds with path ...:libraries', () => [A()], () => ({ op: 'add', path: GROUP_LIBRARIES, value: [{ value: B().id }] }), () => [A(), B()]],
      ['adds a library already granted as a no-op', () => [A()], () => ({ op: 'add', path: GROUP_LIBRARIES, value: ['atlas'] }), () => [A()]],
      ['removes ...:libraries[value eq "id"]', () => [A(), B()], () => ({ op: 'remove', path: `${GROUP_LIBRARIES}[value eq "${A().id}"]` }), () => [B()]],
      ['replaces all with path ...:libraries', () => [A(), B()], () => ({ op: 'replace', path: GROUP_LIBRARIES, value: [C().displayName] }), () => [C()]],
      ['removes all with path ...:libraries and no value', () => [A(), B()], () => ({ op: 'remove', path: GROUP_LIBRARIES }), () => []],
      ['adds with a path-less add', () => [A()], () => ({ op: 'add', value: { [ACCESS_GROUP]: { libraries: [C().id] } } }), () => [A(), C()]],
      ['replaces all with a path-less replace', () => [A(), B()], () => ({ op: 'replace', value: { [ACCESS_GROUP]: { libraries: [{ value: 'compass' }] } } }), () => [C()]],
      ['adds with the extension URN as path', () => [A()], () => ({ op: 'add', path: ACCESS_GROUP, value: { libraries: [C().id] } }), () => [A(), C()]],
      ['replaces all with the extension URN as path', () => [A(), B()], () => ({ op: 'replace', path: ACCESS_GROUP, value: { libraries: ['compass'] } }), () => [C()]],
      ['removes all with a remove of the extension URN as path', () => [A(), B()], () => ({ op: 'remove', path: ACCESS_GROUP }), () => []],
    ])('%s: 204, then the group answers and stores exactly the new grants', async (label, initial, operation, expected) => {
      // The group's default role is named like it: letters and spaces only.
      const name = `Patch ${label}`.replace(/[^A-Za-z ]/g, '');
      const group = await newGroup(name, initial().map((library) => library.id));
      const response = await groups.patch(group.id, patchOp(operation()));
      expectStatus(response, 204);
      const read = await readGroup(group.id);
      expect(grantsIn(read, ACCESS_GROUP) ?? []).toEqual(libraryRefs(...expected()));
      expect((read[ACCESS_GROUP] as { role: string }).role).toBe(name);
      expect(await stored(group.id)).toEqual(sortedIds(expected().map((library) => library.id)));
    });

    it('answers 200 with the projected group when attributes are asked for', async () => {
      const group = await newGroup('Answering Group', []);
      const response = await groups.patch(group.id, patchOp({ op: 'add', path: GROUP_LIBRARIES, value: [atlas.id] }), `?attributes=${encodeURIComponent(GROUP_LIBRARIES)}`);
      expectStatus(response, 200);
      expect(grantsIn(response.body, ACCESS_GROUP)).toEqual(libraryRefs(atlas));
    });

    it('refuses an unknown library with 400 invalidValue naming it, changing neither grants nor members nor version', async () => {
      const member = await newUser();
      const group = await newGroup('Guarded Patch Group', [atlas.id], [member]);
      const before = await groups.get(group.id);
      const response = await groups.patch(
        group.id,
        patchOp({ op: 'remove', path: 'members' }, { op: 'add', path: GROUP_LIBRARIES, value: [beacon.id, 'Mystery Library'] }),
      );
      expectRefusalNaming(response, 'Mystery Library');
      expect((await groups.get(group.id)).body).toEqual(before.body);
      expect(await stored(group.id)).toEqual([atlas.id]);
      expect(await groups.memberIds(group.id)).toEqual([member]);
    });
  });

  describe('members and deletion', () => {
    it("gives members the group's libraries, and takes them away when the group is deleted", async () => {
      const member = await newUser();
      const group = await newGroup('Deleted With Grants', [atlas.id, beacon.id], [member]);
      expect((await admin.accessOf(member)).libraries.map((library) => library.id)).toEqual([atlas.id, beacon.id]);
      expectStatus(await groups.delete(group.id), 204);
      expect(await stored(group.id)).toEqual([]);
      expect(await admin.accessOf(member)).toMatchObject({ libraries: [], groups: [] });
      expectStatus(await users.get(member), 200);
      expect((await admin.get(atlas.id)).status).toBe(200);
    });

    it("does not list a group's libraries among a member's own grants", async () => {
      const member = await newUser();
      await newGroup('Not Own Grants', [compass.id], [member]);
      expect(grantsIn((await users.get(member)).body, ACCESS_USER) ?? []).toEqual([]);
      expect(await storedLibraryIds(roster, 'user', tenantId, member)).toEqual([]);
      expect((await admin.accessOf(member)).libraries).toEqual([{ id: compass.id, displayName: 'Compass' }]);
    });
  });
});
