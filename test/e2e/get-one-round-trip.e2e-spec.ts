import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi } from '../support/scim-groups.js';
import { ACCESS_GROUP, ACCESS_USER, expectStatus, librariesAdmin, type LibrariesAdmin } from '../support/scim-libraries.js';
import { PATCH_OP, USER_SCHEMA, usersApi, type UsersApi } from '../support/scim-users.js';

interface ListPage {
  readonly Resources: Record<string, unknown>[];
}

/**
 * GET by id and list pages read the resource, its groups and its library grants in one statement
 * whose JSON aggregation differs by engine (json_group_array on SQLite, json_agg on PostgreSQL);
 * a write's answer reads the same values with the loaders' own queries. The answers must agree
 * to the byte, whatever the names hold: quotes, backslashes, control characters, non-BMP
 * characters (which sort after U+E000–U+FFFF in both engines, though not in JavaScript's `<`),
 * case-folded ordering.
 */
describe.each(databaseKinds())('GET by id in one statement on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let groups: GroupsApi;
  let admin: LibrariesAdmin;
  let token: string;

  const AWKWARD_NAMES = ['zeta "quoted"', 'Alpha\\back\\slash', 'émile', 'EMILE', 'tab\there', 'emoji 😀 name', 'emoji \uE000 private use', 'line\nbreak', 'Ωmega', '日本語'];

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    admin = librariesAdmin(roster, connection.tenantId);
  });
  afterAll(() => roster.close());

  /** The resource as the list page answers it. */
  const listed = async (endpoint: 'Users' | 'Groups', id: string, query = ''): Promise<string> => {
    const filter = encodeURIComponent(`id eq "${id}"`);
    const response = await roster.http.get<ListPage>(`/scim/v2/${endpoint}?filter=${filter}${query}`, { token });
    expectStatus(response, 200);
    expect(response.body.Resources).toHaveLength(1);
    return JSON.stringify(response.body.Resources[0]);
  };

  it('answers a user with many groups and grants exactly as its list page does', async () => {
    const libraries = [];
    for (const name of AWKWARD_NAMES) libraries.push(await admin.add(`lib ${name}`));
    const created = await users.create({ schemas: [USER_SCHEMA, ACCESS_USER], userName: 'awkward@example.com', [ACCESS_USER]: { libraries: libraries.map((library) => library.id) } });
    expectStatus(created, 201);
    const userId = created.body.id;
    // The create's answer (grants by their own query, no group read for a user created just now) is what GET answers.
    expect(created.text).toBe((await users.get(userId)).text);
    for (const name of AWKWARD_NAMES) expectStatus(await groups.create({ displayName: name, members: [{ value: userId }] }), 201);

    // The write's answer is rendered with the loaders' own queries (its unchanged grants as the write read
    // them, through grantsOf, the grants loader's query).
    const written = await users.patch(userId, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Awkward "One"' }] });
    expectStatus(written, 200);
    const answer = await users.get(userId);
    expectStatus(answer, 200);
    expect(answer.text).toBe(written.text);
    expect(await listed('Users', userId)).toBe(written.text);
    const displays = (answer.body.groups as { display: string }[]).map((group) => group.display);
    expect(displays).toHaveLength(AWKWARD_NAMES.length);
    expect(new Set(displays)).toEqual(new Set(AWKWARD_NAMES));
    const grants = (answer.body[ACCESS_USER] as { libraries: { display: string }[] }).libraries.map((grant) => grant.display);
    expect(new Set(grants)).toEqual(new Set(AWKWARD_NAMES.map((name) => `lib ${name}`)));
  });

  it('answers a user without groups or grants without the attributes, as its list page does', async () => {
    const created = await users.create({ userName: 'plain-one-trip@example.com' });
    expectStatus(created, 201);
    const answer = await users.get(created.body.id);
    expectStatus(answer, 200);
    expect(answer.body).not.toHaveProperty('groups');
    expect(answer.body).not.toHaveProperty([ACCESS_USER]);
    expect(answer.text).toBe(await listed('Users', created.body.id));
    expect(created.text).toBe(answer.text);
  });

  it('answers a group with library grants exactly as its list page does, with and without attributes', async () => {
    const library = await admin.add('lib "group" \\ 😀');
    const created = await groups.create({ displayName: 'granted group', schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { libraries: [library.id] } });
    expectStatus(created, 201);
    const id = (created.body as { id: string }).id;
    // A group's PATCH answers 204 unless asked for attributes (RFC 7644 §3.5.2).
    const written = await groups.patch(id, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'granted "group" 2' }] }, '?excludedAttributes=members');
    expectStatus(written, 200);
    const answer = await groups.get(id, '?excludedAttributes=members');
    expectStatus(answer, 200);
    expect(answer.text).toBe(written.text);
    for (const query of ['', '&attributes=displayName', `&excludedAttributes=members`]) {
      const answer = await roster.http.get(`/scim/v2/Groups/${id}${query.replace('&', '?')}`, { token });
      expectStatus(answer, 200);
      expect(answer.text).toBe(await listed('Groups', id, query));
    }
  });

  it('answers the admin access endpoint (one statement) as the SCIM effective attributes (their own queries) say, active or not', async () => {
    const own = await admin.add('own "lib" é');
    const viaGroup = await admin.add('Via Group \\ 😀');
    const created = await users.create({
      schemas: [USER_SCHEMA, ACCESS_USER],
      userName: 'access-one-trip@example.com',
      roles: [{ value: 'Writer' }, { value: 'guest' }],
      [ACCESS_USER]: { libraries: [own.id] },
    });
    expectStatus(created, 201);
    const userId = created.body.id;
    for (const name of ['Émile group', 'alpha group']) {
      expectStatus(await groups.create({ schemas: [GROUP_SCHEMA, ACCESS_GROUP], displayName: name, members: [{ value: userId }], [ACCESS_GROUP]: { libraries: [viaGroup.id, own.id] } }), 201);
    }
    const effective = `${ACCESS_USER}:effectiveRoles,${ACCESS_USER}:effectiveLibraries,groups,active`;
    for (const active of [true, false]) {
      if (!active) expectStatus(await users.patch(userId, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] }), 200);
      const scim = await users.get(userId, `?attributes=${encodeURIComponent(effective)}`);
      expectStatus(scim, 200);
      const extension = (scim.body[ACCESS_USER] ?? {}) as { effectiveRoles?: string[]; effectiveLibraries?: { value: string; display: string }[] };
      const access = await admin.accessOf(userId);
      expect(access).toEqual({
        active,
        roles: [...(extension.effectiveRoles ?? [])].sort(),
        libraries: (extension.effectiveLibraries ?? []).map((library) => ({ id: library.value, displayName: library.display })),
        groups: ((scim.body.groups ?? []) as { value: string; display: string }[]).map((group) => ({ id: group.value, displayName: group.display })),
      });
      expect(access.groups).toHaveLength(2);
      expect(access.roles).toHaveLength(active ? 4 : 0);
      expect(access.libraries).toHaveLength(active ? 2 : 0);
    }
  });

  it('answers 404 for a soft-deleted user and for another tenant’s user', async () => {
    const created = await users.create({ userName: 'gone-one-trip@example.com' });
    expectStatus(created, 201);
    const other = await createTenantWithConnection(roster.http);
    const otherToken = await requestAccessToken(roster.http, other);
    expectStatus(await roster.http.get(`/scim/v2/Users/${created.body.id}`, { token: otherToken }), 404);
    expectStatus(await users.delete(created.body.id), 204);
    expectStatus(await users.get(created.body.id), 404);
  });
});
