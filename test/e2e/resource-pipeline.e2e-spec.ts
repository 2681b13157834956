import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import { type ResourceChange, ResourceChanges } from '../../src/modules/resources/resource-changes.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { groupsApi, type GroupsApi, type ScimGroup } from '../support/scim-groups.js';
import { patchOp, type ScimErrorResponse, usersApi, type UsersApi } from '../support/scim-users.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
// Small enough that a test can cross it; the default (100,000) is DEFAULT_OPTIONS.listMemberLimit.
const LIST_MEMBER_LIMIT = 3;

interface ListResponse<T> {
  totalResults: number;
  Resources: T[];
}

describe.each(databaseKinds())('The shared resource pipeline on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let groups: GroupsApi;
  let userCounter = 0;
  const recorded: ResourceChange[] = [];
  let failNextChange = false;

  const newUser = async (): Promise<string> => {
    userCounter += 1;
    const response = await users.create({ userName: `pipeline${userCounter}@example.com` });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const rootSearch = (body: Record<string, unknown>) =>
    roster.http.post<ListResponse<Record<string, unknown>> & ScimErrorResponse>('/scim/v2/.search', { token: users.token, body: { schemas: [SEARCH], ...body } });
  const storedUserNames = async (): Promise<string[]> => {
    const dataSource = roster.app.get<DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE));
    const rows = (await dataSource.query('SELECT user_name FROM users ORDER BY user_name')) as { user_name: string }[];
    return rows.map((row) => row.user_name);
  };

  beforeAll(async () => {
    roster = await startRoster(kind, { listMemberLimit: LIST_MEMBER_LIMIT });
    roster.app.get(ResourceChanges).subscribe(async (change) => {
      if (failNextChange) {
        failNextChange = false;
        throw new Error('listener refused the change');
      }
      recorded.push(change);
    });
    const connection = await createTenantWithConnection(roster.http);
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
  });
  afterAll(() => roster.close());

  describe('the list member limit (option listMemberLimit)', () => {
    let big: ScimGroup;

    beforeAll(async () => {
      const members = [await newUser(), await newUser(), await newUser(), await newUser()];
      const created = await groups.create({ displayName: 'Over The Limit', members: members.map((value) => ({ value })) });
      expect(created.status).toBe(201);
      big = created.body;
    });

    it('refuses a list page whose groups hold more members than the limit: 400 tooMany naming the way out', async () => {
      const list = await groups.list<ScimErrorResponse>('filter=' + encodeURIComponent('displayName eq "Over The Limit"'));
      expect(list.status).toBe(400);
      expect(list.body).toMatchObject({ status: '400', scimType: 'tooMany' });
      expect(list.body.detail).toContain(`over the ${LIST_MEMBER_LIMIT} a list answer carries`);
      expect(list.body.detail).toContain('excludedAttributes=members');
    });

    it('lists the same group without members, and GET by id streams all of them', async () => {
      const list = await groups.list<ListResponse<ScimGroup>>('excludedAttributes=members&filter=' + encodeURIComponent('displayName eq "Over The Limit"'));
      expect(list.status).toBe(200);
      expect(list.body.Resources.map((group) => [group.id, group.members])).toEqual([[big.id, undefined]]);
      const one = await groups.get(big.id);
      expect(one.status).toBe(200);
      expect(one.body.members).toHaveLength(4);
    });

    it('answers the root /.search with the error of a type instead of dropping that type', async () => {
      const root = await rootSearch({ filter: 'displayName eq "Over The Limit"' });
      expect(root.status).toBe(400);
      expect(root.body.scimType).toBe('tooMany');
      const without = await rootSearch({ filter: 'displayName eq "Over The Limit"', excludedAttributes: ['members'] });
      expect(without.status).toBe(200);
      expect(without.body.totalResults).toBe(1);
      expect(without.body.Resources.map((resource) => resource.id)).toEqual([big.id]);
    });
  });

  describe('the root /.search across types', () => {
    it('leaves out a type that lacks a named attribute, and answers 400 when no type has it', async () => {
      const byUserName = await rootSearch({ filter: 'userName eq "pipeline1@example.com"' });
      expect(byUserName.status).toBe(200);
      expect(byUserName.body.Resources.map((resource) => resource.userName)).toEqual(['pipeline1@example.com']);
      const byMembers = await rootSearch({ filter: 'members pr', excludedAttributes: ['members'] });
      expect(byMembers.status).toBe(200);
      expect(byMembers.body.Resources.every((resource) => (resource.meta as { resourceType: string }).resourceType === 'Group')).toBe(true);
      const unknown = await rootSearch({ filter: 'nosuchattribute eq "x"' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.scimType).toBe('invalidFilter');
    });

    it('answers an error of a type that has the attribute, e.g. an ordering operator on a boolean', async () => {
      // Users have `active`; Groups do not and are left out; the error of Users is the answer.
      const response = await rootSearch({ filter: 'active gt true' });
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidFilter');
    });
  });

  describe('the change hook of the write skeleton', () => {
    it('sees every committed create, update and delete with the version it left', async () => {
      recorded.length = 0;
      const created = await users.create({ userName: 'hooked@example.com' });
      const patched = await users.patch(created.body.id, patchOp({ op: 'replace', path: 'displayName', value: 'Hooked' }));
      expect(patched.status).toBe(200);
      const group = await groups.create({ displayName: 'Hooked Group' });
      const membersOnly = await groups.patch(group.body.id, patchOp({ op: 'add', path: 'members', value: [{ value: created.body.id }] }));
      expect(membersOnly.status).toBe(204);
      expect((await groups.delete(group.body.id)).status).toBe(204);
      expect((await users.delete(created.body.id)).status).toBe(204);
      expect(recorded.map(({ resourceType, id, kind, version }) => ({ resourceType, id, kind, version }))).toEqual([
        { resourceType: 'User', id: created.body.id, kind: 'created', version: 1 },
        { resourceType: 'User', id: created.body.id, kind: 'updated', version: 2 },
        { resourceType: 'Group', id: group.body.id, kind: 'created', version: 1 },
        { resourceType: 'Group', id: group.body.id, kind: 'updated', version: 2 },
        { resourceType: 'Group', id: group.body.id, kind: 'deleted', version: 2 },
        { resourceType: 'User', id: created.body.id, kind: 'deleted', version: 2 },
      ]);
      expect(new Set(recorded.map((change) => change.tenant)).size).toBe(1);
    });

    it('rolls the write back when what follows the change fails: no change without its record', async () => {
      failNextChange = true;
      const refused = await users.create({ userName: 'rolled-back@example.com' });
      expect(refused.status).toBe(500);
      expect(await storedUserNames()).not.toContain('rolled-back@example.com');
      const retried = await users.create({ userName: 'rolled-back@example.com' });
      expect(retried.status).toBe(201);
      expect(await storedUserNames()).toContain('rolled-back@example.com');
    });
  });
});
