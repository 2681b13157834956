import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi } from '../support/scim-groups.js';
import {
  ACCESS_GROUP,
  ACCESS_USER,
  expectRefusalNaming,
  expectScimError,
  expectStatus,
  GROUP_LIBRARIES,
  grantsIn,
  librariesAdmin,
  type LibrariesAdmin,
  type LibraryView,
  libraryRefs,
  type ListResponse,
  scimLibraries,
  type ScimLibraries,
  storedGrants,
  storedHolderIds,
  storedLibraryIds,
  USER_LIBRARIES,
} from '../support/scim-libraries.js';
import { countUserRows, patchOp, USER_SCHEMA, usersApi, type ScimUser, type UsersApi } from '../support/scim-users.js';
import { GROUP_TABLES, storedRows } from '../support/stored-rows.js';

interface Tenant {
  id: string;
  admin: LibrariesAdmin;
  scim: ScimLibraries;
  users: UsersApi;
  groups: GroupsApi;
}

describe.each(databaseKinds())('Libraries: tenant isolation on %s', (kind) => {
  let roster: RosterHarness;
  let a: Tenant;
  let b: Tenant;
  /** A library that exists only in tenant A, held by one user of A. */
  let onlyInA: LibraryView;
  let holderInA: string;
  let counter = 0;

  const tenant = async (): Promise<Tenant> => {
    const connection = await createTenantWithConnection(roster.http);
    const token = await requestAccessToken(roster.http, connection);
    return {
      id: connection.tenantId,
      admin: librariesAdmin(roster, connection.tenantId),
      scim: scimLibraries(roster, token),
      users: usersApi(roster, token),
      groups: groupsApi(roster, token),
    };
  };
  const granting = (libraries: unknown[]) => ({
    schemas: [USER_SCHEMA, ACCESS_USER],
    userName: `isolated${++counter}@example.com`,
    [ACCESS_USER]: { libraries },
  });
  /** Everything of tenant B a refused grant must leave as it was, and A's holders of its library. */
  const snapshot = async () => ({
    usersOfB: await countUserRows(roster, b.id),
    groupTablesOfB: await storedRows(roster, b.id, GROUP_TABLES),
    userGrantsOfB: await storedGrants(roster, 'user', { tenantId: b.id }),
    groupGrantsOfB: await storedGrants(roster, 'group', { tenantId: b.id }),
    holdersInA: await storedHolderIds(roster, 'user', a.id, onlyInA.id),
  });

  beforeAll(async () => {
    roster = await startRoster(kind);
    a = await tenant();
    b = await tenant();
    onlyInA = await a.admin.add('Only In A', { externalId: 'ext-only-in-a' });
    const holder = await a.users.create(granting([onlyInA.id]));
    expectStatus(holder, 201);
    holderInA = holder.body.id;
  });
  afterAll(() => roster.close());

  it("answers 404 for A's library on B's SCIM GET and never lists it for B", async () => {
    expectScimError(await b.scim.get(onlyInA.id), 404);
    expect(await b.scim.filterIds(`id eq "${onlyInA.id}"`)).toEqual([]);
    expect(await b.scim.filterIds('externalId eq "ext-only-in-a"')).toEqual([]);
    expect(await b.scim.listedIds()).not.toContain(onlyInA.id);
    const search = await b.scim.search({ filter: 'displayName eq "Only In A"' });
    expectStatus(search, 200);
    expect(search.body.totalResults).toBe(0);
    const root = await b.scim.rootSearch({ filter: `id eq "${onlyInA.id}"` });
    expectStatus(root, 200);
    expect(root.body.totalResults).toBe(0);
    expectStatus(await a.scim.get(onlyInA.id), 200);
  });

  it("answers 404 for A's library on B's admin paths and leaves it unchanged", async () => {
    expectScimError(await b.admin.get(onlyInA.id), 404);
    expectScimError(await b.admin.patch(onlyInA.id, { displayName: 'Taken Over' }), 404);
    expectScimError(await b.admin.delete(onlyInA.id), 404);
    expect((await b.admin.listed()).map((library) => library.id)).not.toContain(onlyInA.id);
    expect((await a.admin.get(onlyInA.id)).body).toEqual(onlyInA);
    expect(await storedHolderIds(roster, 'user', a.id, onlyInA.id)).toEqual([holderInA]);
  });

  it("answers 404 for A's user on B's access path", async () => {
    expectScimError(await b.admin.access(holderInA), 404);
    expect((await a.admin.accessOf(holderInA)).libraries).toEqual([{ id: onlyInA.id, displayName: 'Only In A' }]);
  });

  it.each<[string, () => unknown, () => string]>([
    ['by id', () => onlyInA.id, () => onlyInA.id],
    ['by {value: id}', () => ({ value: onlyInA.id }), () => onlyInA.id],
    ['by the displayName it has in A', () => 'Only In A', () => 'Only In A'],
  ])("refuses A's library %s on a user POST in B with 400 naming it, storing nothing", async (_label, value, named) => {
    const before = await snapshot();
    expectRefusalNaming(await b.users.create(granting([value()])), named());
    expect(await snapshot()).toEqual(before);
  });

  it("refuses A's library on a user PATCH in B, changing nothing", async () => {
    const own = await b.admin.add('Own Of B');
    const created = await b.users.create(granting([own.id]));
    expectStatus(created, 201);
    const before = await snapshot();
    for (const operation of [
      { op: 'add', path: USER_LIBRARIES, value: [{ value: onlyInA.id }] },
      { op: 'replace', path: USER_LIBRARIES, value: [onlyInA.id] },
      { op: 'add', value: { [ACCESS_USER]: { libraries: [onlyInA.id] } } },
    ]) {
      expectRefusalNaming(await b.users.patch(created.body.id, patchOp(operation)), onlyInA.id);
    }
    expect(await snapshot()).toEqual(before);
    const read = await b.users.get(created.body.id);
    expect(read.body).toEqual(created.body);
    expect(grantsIn(read.body, ACCESS_USER)).toEqual(libraryRefs(own));
  });

  it("refuses A's library on a group POST and PATCH in B, storing nothing", async () => {
    const before = await snapshot();
    const refused = await b.groups.create({ schemas: [GROUP_SCHEMA, ACCESS_GROUP], displayName: 'Borrowing Group', [ACCESS_GROUP]: { libraries: [onlyInA.id] } });
    expectRefusalNaming(refused, onlyInA.id);
    expect(await snapshot()).toEqual(before);
    const group = await b.groups.create({ displayName: 'Plain Group Of B' });
    expectStatus(group, 201);
    const afterCreate = await snapshot();
    expectRefusalNaming(await b.groups.patch(group.body.id, patchOp({ op: 'add', path: GROUP_LIBRARIES, value: [onlyInA.id] })), onlyInA.id);
    expect(await snapshot()).toEqual(afterCreate);
    expect(await storedLibraryIds(roster, 'group', b.id, group.body.id)).toEqual([]);
  });

  it('resolves a displayName to the library of the writing tenant when both tenants have one of that name', async () => {
    const inA = await a.admin.add('Same Name Shelf');
    const inB = await b.admin.add('same name shelf');
    const userOfA = await a.users.create(granting(['SAME NAME SHELF']));
    const userOfB = await b.users.create(granting(['SAME NAME SHELF']));
    expectStatus(userOfA, 201);
    expectStatus(userOfB, 201);
    expect(grantsIn(userOfA.body, ACCESS_USER)).toEqual(libraryRefs(inA));
    expect(grantsIn(userOfB.body, ACCESS_USER)).toEqual(libraryRefs(inB));
    expect(await storedLibraryIds(roster, 'user', b.id, userOfB.body.id)).toEqual([inB.id]);

    const filter = (id: string) => `/scim/v2/Users?filter=${encodeURIComponent(`${ACCESS_USER}:libraries.value eq "${id}"`)}`;
    const foundInB = await roster.http.get<ListResponse<ScimUser>>(filter(inA.id), { token: b.users.token });
    expectStatus(foundInB, 200);
    expect(foundInB.body.totalResults).toBe(0);
    const foundInA = await roster.http.get<ListResponse<ScimUser>>(filter(inA.id), { token: a.users.token });
    expectStatus(foundInA, 200);
    expect(foundInA.body.Resources.map((user) => user.id)).toEqual([userOfA.body.id]);

    expectStatus(await a.admin.delete(inA.id), 204);
    expect((await b.admin.get(inB.id)).body).toEqual(inB);
    expect(await storedLibraryIds(roster, 'user', b.id, userOfB.body.id)).toEqual([inB.id]);
    expect((await b.admin.accessOf(userOfB.body.id)).libraries).toEqual([{ id: inB.id, displayName: 'same name shelf' }]);
  });
});
