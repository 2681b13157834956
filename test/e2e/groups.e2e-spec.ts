import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { ACCESS_GROUP, GROUP_SCHEMA, groupsApi, type GroupsApi, type ScimGroup } from '../support/scim-groups.js';
import { patchOp, type ScimErrorResponse, usersApi, type UsersApi } from '../support/scim-users.js';

interface ListResponse<T> {
  totalResults: number;
  Resources: T[];
}

describe.each(databaseKinds())('Groups on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let users: UsersApi;
  let groups: GroupsApi;
  let otherUsers: UsersApi;
  let otherGroups: GroupsApi;
  let userCounter = 0;

  const newUser = async (extra: Record<string, unknown> = {}): Promise<string> => {
    userCounter += 1;
    const response = await users.create({ userName: `member${userCounter}@example.com`, displayName: `Member ${userCounter}`, ...extra });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const newUsers = async (count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await newUser());
    return ids;
  };
  const newGroup = async (displayName: string, members: string[] = [], extra: Record<string, unknown> = {}): Promise<ScimGroup> => {
    const response = await groups.create({ displayName, members: members.map((value) => ({ value })), ...extra });
    expect(response.status).toBe(201);
    return response.body;
  };
  const access = async (userId: string) =>
    (await roster.http.get<{ active: boolean; roles: string[]; groups: { id: string; displayName: string }[] }>(
      `/admin/tenants/${tenantId}/users/${userId}/access`,
      { token: TEST_ADMIN_TOKEN },
    )).body;
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    // Room for the 1,000-user setup of the paging test; rate limits have their own suite.
    roster = await startRoster(kind, { rateLimits: { readPerSecond: 10_000, writePerSecond: 10_000 } });
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    const otherToken = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
    otherUsers = usersApi(roster, otherToken);
    otherGroups = groupsApi(roster, otherToken);
  });
  afterAll(() => roster.close());

  describe('resource', () => {
    it('creates a group with members: 201, Location, members with $ref, display and type, and a role of its name', async () => {
      const [a, b] = await newUsers(2);
      const response = await groups.create({ displayName: 'Editors', externalId: 'ext-editors', members: [{ value: a }, { value: b }] });
      expect(response.status).toBe(201);
      const group = response.body;
      expect(response.headers.get('location')).toBe(group.meta.location);
      expect(response.headers.get('etag')).toBe(group.meta.version);
      expect(group.meta).toMatchObject({ resourceType: 'Group', location: `https://roster.example.test/scim/v2/Groups/${group.id}` });
      expect(group[ACCESS_GROUP]).toEqual({ role: 'Editors' });
      expect(sorted((group.members ?? []).map((m) => m.value))).toEqual(sorted([a, b]));
      const member = (group.members ?? []).find((m) => m.value === a);
      expect(member).toEqual({ value: a, $ref: `https://roster.example.test/scim/v2/Users/${a}`, display: expect.stringMatching(/^Member /), type: 'User' });
      const roles = await roster.http.get<{ name: string; system: boolean }[]>(`/admin/tenants/${tenantId}/roles`, { token: TEST_ADMIN_TOKEN });
      expect(roles.body.find((role) => role.name === 'Editors')).toMatchObject({ system: false });
      expect((await access(a)).roles).toContain('Editors');
    });

    it('grants the catalog role it names, and refuses an unknown one', async () => {
      const group = await newGroup('Platform Admins', [], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'ADMIN' } });
      expect(group[ACCESS_GROUP]).toEqual({ role: 'admin' });
      const unknown = await groups.create({ displayName: 'Ghosts', schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'no-such-role' } });
      expect(unknown.status).toBe(400);
      expect((unknown.body as unknown as ScimErrorResponse).scimType).toBe('invalidValue');
    });

    it("tolerates Entra ID's own schema URI on create", async () => {
      const response = await groups.post({
        schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        displayName: 'Entra Group',
        externalId: '0f1a',
        members: [],
      });
      expect(response.status).toBe(201);
      expect(response.body.schemas).not.toContain('http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group');
    });

    it('keeps displayName unique case-insensitively, and free again after delete', async () => {
      const first = await newGroup('Finance Team');
      const clash = await groups.create({ displayName: 'FINANCE team' });
      expect(clash.status).toBe(409);
      expect((clash.body as unknown as ScimErrorResponse).scimType).toBe('uniqueness');
      expect((await groups.delete(first.id)).status).toBe(204);
      expect((await groups.get(first.id)).status).toBe(404);
      expect((await groups.create({ displayName: 'FINANCE team' })).status).toBe(201);
    });

    it('refuses unknown, deleted and foreign members, naming them, and changes nothing', async () => {
      const [a] = await newUsers(1);
      const deleted = await newUser();
      expect((await users.delete(deleted)).status).toBe(204);
      const foreign = (await otherUsers.create({ userName: 'foreign@example.com' })).body.id;
      for (const bad of ['00000000-0000-4000-8000-000000000000', deleted, foreign]) {
        const created = await groups.create({ displayName: `Bad ${bad}`, members: [{ value: a }, { value: bad }] });
        expect(created.status).toBe(400);
        expect((created.body as unknown as ScimErrorResponse).scimType).toBe('invalidValue');
        expect((created.body as unknown as ScimErrorResponse).detail).toContain(bad);
        expect((await groups.list(`filter=${encodeURIComponent(`displayName eq "Bad ${bad}"`)}`)).body).toMatchObject({ totalResults: 0 });
      }
      const group = await newGroup('Guarded', [a]);
      const patched = await groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: [{ value: foreign }] }));
      expect(patched.status).toBe(400);
      expect(await groups.memberIds(group.id)).toEqual([a]);
      const nested = await groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: [{ value: group.id, type: 'Group' }] }));
      expect(nested.status).toBe(400);
    });

    it('never lets a token of another tenant see or change a group', async () => {
      const group = await newGroup('Private');
      expect((await otherGroups.get(group.id)).status).toBe(404);
      expect((await otherGroups.patch(group.id, patchOp({ op: 'replace', path: 'displayName', value: 'x' }))).status).toBe(404);
      expect((await otherGroups.delete(group.id)).status).toBe(404);
      expect((await groups.get(group.id)).body.displayName).toBe('Private');
    });

    it('leaves members out with excludedAttributes=members and honours attributes', async () => {
      const [a] = await newUsers(1);
      const group = await newGroup('Projected', [a]);
      const without = await groups.get(group.id, '?excludedAttributes=members');
      expect(without.body).not.toHaveProperty('members');
      expect(without.body.displayName).toBe('Projected');
      const only = await groups.get(group.id, '?attributes=members.value');
      expect(only.body.members).toEqual([{ value: a }]);
      expect(only.body).not.toHaveProperty('displayName');
    });

    it('streams a group with its members as valid SCIM JSON, and ignores readOnly member display on input', async () => {
      const [a, b] = await newUsers(2);
      const created = await groups.create({ displayName: 'Streamed', members: [{ value: a, display: 'ignored' }, { value: b }] });
      expect(created.status).toBe(201);
      const read = await groups.get(created.body.id);
      expect(read.status).toBe(200);
      expect(read.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(read.headers.get('etag')).toBe('W/"1"');
      expect(read.body).toEqual(created.body);
      expect(read.body.members?.find((m) => m.value === a)?.display).toMatch(/^Member /);
      expect((await groups.get(created.body.id, '?excludedAttributes=members.display')).body.members?.[0]).not.toHaveProperty('display');
    });

    it('streams a group of more members than one page holds, each member once', async () => {
      const ids: string[] = [];
      for (let batch = 0; batch < 21; batch++) {
        const created = await Promise.all(
          Array.from({ length: 50 }, (_, i) => users.create({ userName: `paged-${batch}-${i}@example.com` })),
        );
        ids.push(...created.map((response) => response.body.id));
      }
      const group = await newGroup('Paged');
      expect((await groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }))).status).toBe(204);
      const read = await groups.get(group.id);
      expect(read.status).toBe(200);
      expect((read.body.members ?? []).map((m) => m.value)).toEqual(sorted(ids));
      expect(read.body.meta.version).toBe('W/"2"');
    }, 90_000);

    it('replaces a group with PUT, its members included', async () => {
      const [a, b, c] = await newUsers(3);
      const group = await newGroup('Replaced', [a, b]);
      const response = await groups.put(group.id, { schemas: [GROUP_SCHEMA], displayName: 'Replaced Again', members: [{ value: c }] });
      expect(response.status).toBe(200);
      expect(response.body.displayName).toBe('Replaced Again');
      expect(await groups.memberIds(group.id)).toEqual([c]);
      expect(response.body[ACCESS_GROUP]).toEqual({ role: 'Replaced' });
    });

    it('deletes a group: memberships go, users stay', async () => {
      const [a] = await newUsers(1);
      const group = await newGroup('Doomed', [a]);
      expect((await groups.delete(group.id)).status).toBe(204);
      expect((await users.get(a)).status).toBe(200);
      expect((await access(a)).groups).toEqual([]);
    });
  });

  describe('PATCH membership', () => {
    it('adds a list of members; ones already present are a no-op; answers 204', async () => {
      const [a, b, c] = await newUsers(3);
      const group = await newGroup('Adders', [a]);
      const response = await groups.patch(group.id, patchOp({ op: 'Add', path: 'members', value: [{ value: a }, { value: b }, { value: c }] }));
      expect(response.status).toBe(204);
      expect(response.headers.get('etag')).toBe('W/"2"');
      expect(await groups.memberIds(group.id)).toEqual(sorted([a, b, c]));
    });

    it('answers 200 with the projected group when attributes are asked for', async () => {
      const [a] = await newUsers(1);
      const group = await newGroup('Answering');
      const response = await groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: [{ value: a }] }), '?attributes=members');
      expect(response.status).toBe(200);
      expect(response.body.members?.map((m) => m.value)).toEqual([a]);
    });

    it('removes members[value eq "id"]', async () => {
      const [a, b] = await newUsers(2);
      const group = await newGroup('Filter Removers', [a, b]);
      expect((await groups.patch(group.id, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }))).status).toBe(204);
      expect(await groups.memberIds(group.id)).toEqual([b]);
    });

    it('removes only the listed members with path "members" and a value list (Entra)', async () => {
      const [a, b, c] = await newUsers(3);
      const group = await newGroup('Entra Removers', [a, b, c]);
      expect((await groups.patch(group.id, patchOp({ op: 'Remove', path: 'members', value: [{ value: a }, { value: c }] }))).status).toBe(204);
      expect(await groups.memberIds(group.id)).toEqual([b]);
    });

    it('removes all members with path "members" and no value', async () => {
      const [a, b] = await newUsers(2);
      const group = await newGroup('Emptied', [a, b]);
      expect((await groups.patch(group.id, patchOp({ op: 'remove', path: 'members' }))).status).toBe(204);
      expect(await groups.memberIds(group.id)).toEqual([]);
    });

    it('replaces all members', async () => {
      const [a, b, c] = await newUsers(3);
      const group = await newGroup('Swapped', [a, b]);
      expect((await groups.patch(group.id, patchOp({ op: 'replace', path: 'members', value: [{ value: c }] }))).status).toBe(204);
      expect(await groups.memberIds(group.id)).toEqual([c]);
    });

    it('replaces displayName with and without a path, and tolerates the group id in a path-less value (Okta)', async () => {
      const group = await newGroup('Renamed');
      expect((await groups.patch(group.id, patchOp({ op: 'replace', path: 'displayName', value: 'Renamed Once' }))).status).toBe(204);
      expect((await groups.get(group.id)).body.displayName).toBe('Renamed Once');
      const okta = await groups.patch(group.id, patchOp({ op: 'replace', value: { id: group.id, displayName: 'Renamed Twice' } }));
      expect(okta.status).toBe(204);
      expect((await groups.get(group.id)).body.displayName).toBe('Renamed Twice');
    });

    it('applies several operations in one request, in order, all or nothing', async () => {
      const [a, b, c] = await newUsers(3);
      const group = await newGroup('Multi', [a]);
      const response = await groups.patch(
        group.id,
        patchOp(
          { op: 'add', path: 'members', value: [{ value: b }, { value: c }] },
          { op: 'remove', path: `members[value eq "${a}"]` },
          { op: 'replace', value: { displayName: 'Multi Done', members: [{ value: b }] } },
          { op: 'add', path: 'members', value: [{ value: c }] },
        ),
      );
      expect(response.status).toBe(204);
      expect(await groups.memberIds(group.id)).toEqual(sorted([b, c]));
      expect((await groups.get(group.id)).body.displayName).toBe('Multi Done');
      const failing = await groups.patch(
        group.id,
        patchOp({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'not-a-user' }] }),
      );
      expect(failing.status).toBe(400);
      expect(await groups.memberIds(group.id)).toEqual(sorted([b, c]));
    });

    it('lands twenty concurrent PATCHes adding different members', async () => {
      const members = await newUsers(20);
      const group = await newGroup('Concurrent');
      const responses = await Promise.all(members.map((id) => groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }))));
      expect(responses.map((r) => r.status)).toEqual(members.map(() => 204));
      expect(await groups.memberIds(group.id)).toEqual(sorted(members));
      expect((await groups.get(group.id)).body.meta.version).toBe('W/"21"');
    });

    it.each([
      ['a member sub-attribute path', { op: 'replace', path: 'members[value eq "x"].display', value: 'y' }, 'invalidPath'],
      ['a filter on a member attribute that is not stored', { op: 'remove', path: 'members[type eq "User"]' }, 'invalidFilter'],
      ['a broken member filter', { op: 'remove', path: 'members[value eq ]' }, 'invalidFilter'],
      ['add with a filtered path', { op: 'add', path: 'members[value eq "x"]', value: [{ value: 'x' }] }, 'invalidPath'],
      ['a member without a value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
      ['a path-less remove', { op: 'remove', value: { members: [] } }, 'invalidSyntax'],
    ])('refuses %s with 400, never a 500', async (_label, operation, scimType) => {
      const [a] = await newUsers(1);
      const group = await newGroup(`Refusing ${_label}`, [a]);
      const response = await groups.patch(group.id, patchOp(operation));
      expect(response.status).toBe(400);
      expect((response.body as unknown as ScimErrorResponse).scimType).toBe(scimType);
      expect(await groups.memberIds(group.id)).toEqual([a]);
    });

    it('refuses sorting by members', async () => {
      const sortedBy = await groups.list<ScimErrorResponse>('sortBy=members');
      expect(sortedBy.status).toBe(400);
      expect(sortedBy.body.scimType).toBe('invalidValue');
    });

    it('checks If-Match', async () => {
      const group = await newGroup('Versioned');
      const stale = await roster.http.patch(`/scim/v2/Groups/${group.id}`, {
        token: users.token,
        body: patchOp({ op: 'replace', path: 'displayName', value: 'x' }),
        headers: { 'if-match': 'W/"9"' },
      });
      expect(stale.status).toBe(412);
    });
  });

  describe('queries', () => {
    it('filters by displayName, externalId, members.value and id', async () => {
      const [a] = await newUsers(1);
      const group = await newGroup('Query Target', [a], { externalId: 'ext-query' });
      const ids = async (filter: string) =>
        ((await groups.list<ListResponse<ScimGroup>>(`filter=${encodeURIComponent(filter)}&excludedAttributes=members`)).body.Resources ?? []).map((g) => g.id);
      expect(await ids('displayName eq "query TARGET"')).toEqual([group.id]);
      expect(await ids('externalId eq "ext-query"')).toEqual([group.id]);
      expect(await ids(`members.value eq "${a}"`)).toEqual([group.id]);
      expect(await ids(`members[value eq "${a}"]`)).toEqual([group.id]);
      expect(await ids(`id eq "${group.id}"`)).toEqual([group.id]);
      const bad = await groups.list<ScimErrorResponse>(`filter=${encodeURIComponent('members.display eq "x"')}`);
      expect(bad.body.scimType).toBe('invalidFilter');
    });

    it('sorts and pages groups, and finds them through /Groups/.search and /.search', async () => {
      const list = await groups.list<ListResponse<ScimGroup>>('sortBy=displayName&count=2&excludedAttributes=members');
      expect(list.status).toBe(200);
      expect(list.body.Resources).toHaveLength(2);
      const names = list.body.Resources.map((g) => g.displayName);
      expect(names).toEqual([...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
      const search = await roster.http.post<ListResponse<ScimGroup>>('/scim/v2/Groups/.search', {
        token: users.token,
        body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName sw "query"' },
      });
      expect(search.body.Resources.map((g) => g.displayName)).toEqual(['Query Target']);
      const root = await roster.http.post<ListResponse<Record<string, unknown>>>('/scim/v2/.search', {
        token: users.token,
        body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName eq "Query Target"' },
      });
      expect(root.body.Resources.map((r) => (r.meta as { resourceType: string }).resourceType)).toEqual(['Group']);
    });
  });

  describe('users and access', () => {
    it("lists a user's groups, filters users by groups.value, and derives effective roles", async () => {
      const [a] = await newUsers(1);
      const one = await newGroup('Readers One', [a]);
      const two = await newGroup('Writers Two', [a], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'writer' } });
      const user = await users.get(a);
      expect(user.body.groups).toEqual(
        expect.arrayContaining([
          { value: one.id, $ref: `https://roster.example.test/scim/v2/Groups/${one.id}`, display: 'Readers One', type: 'direct' },
          { value: two.id, $ref: `https://roster.example.test/scim/v2/Groups/${two.id}`, display: 'Writers Two', type: 'direct' },
        ]),
      );
      const byGroup = await roster.http.get<ListResponse<{ id: string }>>(`/scim/v2/Users?filter=${encodeURIComponent(`groups.value eq "${one.id}"`)}`, { token: users.token });
      expect(byGroup.body.Resources.map((u) => u.id)).toEqual([a]);
      expect(await access(a)).toMatchObject({ roles: ['Readers One', 'writer'] });
    });

    it('revokes a group role on removal unless another group or the user itself still grants it', async () => {
      const a = await newUser({ roles: [{ value: 'guest' }] });
      const guests = await newGroup('Guest Group A', [a], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'guest' } });
      const writersA = await newGroup('Writer Group A', [a], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'writer' } });
      const writersB = await newGroup('Writer Group B', [a], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'writer' } });
      await groups.patch(guests.id, patchOp({ op: 'remove', path: 'members' }));
      expect((await access(a)).roles).toEqual(['guest', 'writer']);
      await groups.patch(writersA.id, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }));
      expect((await access(a)).roles).toEqual(['guest', 'writer']);
      await groups.patch(writersB.id, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }));
      expect((await access(a)).roles).toEqual(['guest']);
    });

    it('holds unique roles across direct and group grants', async () => {
      const [a, b] = await newUsers(2);
      const owners = await newGroup('Owners', [a], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'owner' } });
      const second = await groups.patch(owners.id, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }));
      expect(second.status).toBe(409);
      expect((second.body as unknown as ScimErrorResponse).scimType).toBe('uniqueness');
      expect(await groups.memberIds(owners.id)).toEqual([a]);
      const direct = await users.patch(b, patchOp({ op: 'add', path: 'roles', value: [{ value: 'owner' }] }));
      expect(direct.status).toBe(409);
      const twoOwners = await groups.create({ displayName: 'Owners Again', members: [{ value: b }], schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'owner' } });
      expect(twoOwners.status).toBe(409);
      // Once a leaves the owners group, b may hold the role directly.
      await groups.patch(owners.id, patchOp({ op: 'remove', path: 'members' }));
      expect((await users.patch(b, patchOp({ op: 'add', path: 'roles', value: [{ value: 'owner' }] }))).status).toBe(200);
      expect((await groups.patch(owners.id, patchOp({ op: 'add', path: 'members', value: [{ value: a }] }))).status).toBe(409);
    });

    it('counts only active members as holders of a group-granted unique role', async () => {
      const [a, b] = await newUsers(2);
      const role = await roster.http.post(`/admin/tenants/${tenantId}/roles`, { token: TEST_ADMIN_TOKEN, body: { name: 'captain', unique: true } });
      expect(role.status).toBe(201);
      const owners = await newGroup('Captains', [a], { schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'captain' } });
      expect((await users.patch(a, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
      expect((await groups.patch(owners.id, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }))).status).toBe(204);
      const reactivated = await users.patch(a, patchOp({ op: 'replace', path: 'active', value: true }));
      expect(reactivated.status).toBe(409);
      expect((reactivated.body as unknown as ScimErrorResponse).scimType).toBe('uniqueness');
      await groups.delete(owners.id);
      expect((await users.patch(a, patchOp({ op: 'replace', path: 'active', value: true }))).status).toBe(200);
    });

    it('takes a soft-deleted user out of its groups; restored, it comes back with none', async () => {
      const a = await newUser({ userName: 'restorable@example.com' });
      const group = await newGroup('Restore Test', [a]);
      expect((await users.delete(a)).status).toBe(204);
      expect(await groups.memberIds(group.id)).toEqual([]);
      const restored = await users.create({ userName: 'restorable@example.com' });
      expect(restored.status).toBe(201);
      expect(restored.body.id).toBe(a);
      expect(await groups.memberIds(group.id)).toEqual([]);
      expect((await users.get(a)).body).not.toHaveProperty('groups');
      expect((await access(a)).groups).toEqual([]);
    });
  });
});
