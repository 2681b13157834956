import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { createdId, membersOf, newBulkTenant, postGroup, postUser, statusesOf, type BulkTenant } from '../support/scim-bulk.js';
import { GROUP_SCHEMA } from '../support/scim-groups.js';
import { ENTERPRISE, patchOp, USER_SCHEMA } from '../support/scim-users.js';

const MANAGER = `${ENTERPRISE}:manager`;

describe.each(databaseKinds())('Bulk bulkId references on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  const managerOf = async (tenant: BulkTenant, id: string): Promise<unknown> => {
    const response = await tenant.users.get(id);
    expect(response.status).toBe(200);
    return (response.body[ENTERPRISE] as { manager?: unknown } | undefined)?.manager;
  };

  it('creates a group whose members are bulkId: users, one of them POSTed later, and grants them its role', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk([
      postUser('early', { userName: 'early@example.com' }),
      postGroup('engineers', { displayName: 'Engineers', members: membersOf('bulkId:early', 'bulkId:late') }),
      postUser('late', { userName: 'late@example.com' }),
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['early', '201'],
      ['engineers', '201'],
      ['late', '201'],
    ]);
    const [early, engineers, late] = response.body.Operations.map(createdId);
    expect(await tenant.groups.memberIds(engineers)).toEqual([early, late].sort());
    for (const member of [early, late]) {
      const access = (await tenant.access(member)).body;
      expect(access.groups).toEqual([{ id: engineers, displayName: 'Engineers' }]);
      expect(access.roles).toContain('Engineers');
    }
    expect(await tenant.rows()).toMatchObject({ users: 2, groups: 1, group_members: 2 });
  });

  it('resolves an enterprise manager sent as {value} or as a plain id to a user POSTed earlier or later', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk([
      postUser('report-before', { schemas: [USER_SCHEMA, ENTERPRISE], userName: 'report-before', [ENTERPRISE]: { manager: { value: 'bulkId:boss' } } }),
      postUser('boss', { userName: 'boss' }),
      postUser('report-after', { schemas: [USER_SCHEMA, ENTERPRISE], userName: 'report-after', [ENTERPRISE]: { manager: 'bulkId:boss' } }),
    ]);
    expect(statusesOf(response)).toEqual([
      ['report-before', '201'],
      ['boss', '201'],
      ['report-after', '201'],
    ]);
    const [before, boss, after] = response.body.Operations.map(createdId);
    expect(await managerOf(tenant, before)).toEqual(expect.objectContaining({ value: boss }));
    expect(await managerOf(tenant, after)).toEqual(expect.objectContaining({ value: boss }));
    expect((await tenant.users.get(boss)).body.userName).toBe('boss');
  });

  it('resolves bulkId: in the path of PATCH, PUT and DELETE and in PATCH and PUT values, each waiting for the POST it names', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk([
      { method: 'PATCH', path: '/Groups/bulkId:crew', data: patchOp({ op: 'add', path: 'members', value: membersOf('bulkId:sailor') }) },
      { method: 'PATCH', path: '/Users/bulkId:sailor', data: patchOp({ op: 'replace', path: MANAGER, value: 'bulkId:captain' }) },
      { method: 'PUT', path: '/Users/bulkId:captain', data: { schemas: [USER_SCHEMA], userName: 'captain', displayName: 'Put by reference' } },
      { method: 'DELETE', path: '/Users/bulkId:stowaway' },
      { method: 'PUT', path: '/Groups/bulkId:deck', data: { schemas: [GROUP_SCHEMA], displayName: 'Deck', members: membersOf('bulkId:captain') } },
      postGroup('crew', { displayName: 'Crew' }),
      postGroup('deck', { displayName: 'Deck' }),
      postUser('sailor', { userName: 'sailor' }),
      postUser('captain', { userName: 'captain' }),
      postUser('stowaway', { userName: 'stowaway' }),
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['PATCH', '204'],
      ['PATCH', '200'],
      ['PUT', '200'],
      ['DELETE', '204'],
      ['PUT', '200'],
      ['crew', '201'],
      ['deck', '201'],
      ['sailor', '201'],
      ['captain', '201'],
      ['stowaway', '201'],
    ]);
    const [crew, deck, sailor, captain, stowaway] = response.body.Operations.slice(5).map(createdId);
    expect(response.body.Operations.slice(0, 3).map((operation) => operation.location)).toEqual([
      `https://roster.example.test/scim/v2/Groups/${crew}`,
      `https://roster.example.test/scim/v2/Users/${sailor}`,
      `https://roster.example.test/scim/v2/Users/${captain}`,
    ]);
    expect(await tenant.groups.memberIds(crew)).toEqual([sailor]);
    expect(await tenant.groups.memberIds(deck)).toEqual([captain]);
    expect(await managerOf(tenant, sailor)).toEqual(expect.objectContaining({ value: captain }));
    expect((await tenant.users.get(captain)).body).toMatchObject({ displayName: 'Put by reference', meta: { version: 'W/"2"' } });
    expect((await tenant.users.get(stowaway)).status).toBe(404);
    expect((await tenant.access(sailor)).body.groups).toEqual([{ id: crew, displayName: 'Crew' }]);
  });

  it.each<[string, unknown]>([
    ['path manager, value an id', { op: 'add', path: MANAGER, value: 'bulkId:boss' }],
    ['path manager, value {value}', { op: 'replace', path: MANAGER, value: { value: 'bulkId:boss' } }],
    ['path-less, manager as an id', { op: 'add', value: { [ENTERPRISE]: { manager: 'bulkId:boss' } } }],
    ['path-less, manager as {value}', { op: 'Replace', value: { [ENTERPRISE]: { manager: { value: 'bulkId:boss' } } } }],
  ])('resolves a manager reference in a user PATCH (%s)', async (_form, operation) => {
    const tenant = await newBulkTenant(roster);
    const report = (await tenant.users.create({ userName: 'report' })).body.id;
    const response = await tenant.bulk([
      { method: 'PATCH', path: `/Users/${report}`, data: patchOp(operation) },
      postUser('boss', { userName: 'boss' }),
    ]);
    expect(statusesOf(response)).toEqual([
      ['PATCH', '200'],
      ['boss', '201'],
    ]);
    expect(await managerOf(tenant, report)).toEqual(expect.objectContaining({ value: createdId(response.body.Operations[1]) }));
  });

  it.each<[string, unknown]>([
    ['add to members', { op: 'add', path: 'members', value: membersOf('bulkId:joiner') }],
    ['replace members', { op: 'replace', path: 'members', value: membersOf('bulkId:joiner') }],
    ['path-less add (Okta)', { op: 'add', value: { members: membersOf('bulkId:joiner') } }],
  ])('resolves a member reference in a group PATCH (%s)', async (_form, operation) => {
    const tenant = await newBulkTenant(roster);
    const group = (await tenant.groups.create({ displayName: 'Joined' })).body;
    const response = await tenant.bulk([
      { method: 'PATCH', path: `/Groups/${group.id}`, data: patchOp(operation) },
      postUser('joiner', { userName: 'joiner' }),
    ]);
    expect(statusesOf(response).map(([, status]) => status)).toEqual([expect.stringMatching(/^20[04]$/), '201']);
    const joiner = createdId(response.body.Operations[1]);
    expect(await tenant.groups.memberIds(group.id)).toEqual([joiner]);
    expect((await tenant.access(joiner)).body.groups).toEqual([{ id: group.id, displayName: 'Joined' }]);
  });

  it('fails a reference to an unknown bulkId with 409 naming it, and runs the rest', async () => {
    const tenant = await newBulkTenant(roster);
    const rowsBefore = await tenant.rows();
    const response = await tenant.bulk([
      postGroup('orphans', { displayName: 'Orphans', members: membersOf('bulkId:nobody-posts-this') }),
      { method: 'PATCH', path: '/Users/bulkId:no-such-user', data: patchOp({ op: 'replace', path: 'title', value: 'x' }) },
      postUser('fine', { userName: 'fine' }),
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['orphans', '409'],
      ['PATCH', '409'],
      ['fine', '201'],
    ]);
    expect(response.body.Operations[0].response).toMatchObject({ status: '409', detail: expect.stringContaining('nobody-posts-this') });
    expect(response.body.Operations[1].response).toMatchObject({ status: '409', detail: expect.stringContaining('no-such-user') });
    expect(await tenant.groupsNamed('Orphans')).toEqual([]);
    expect(await tenant.rows()).toEqual({ ...rowsBefore, users: 1, user_values: expect.any(Number) });
  });

  it('fails every operation that references a failed POST, earlier or later, with 409 naming it, and stores none of them', async () => {
    const tenant = await newBulkTenant(roster);
    const taken = (await tenant.users.create({ userName: 'taken' })).body;
    const rowsBefore = await tenant.rows();
    const response = await tenant.bulk([
      postGroup('needs-late', { displayName: 'Needs Late', members: membersOf('bulkId:invalid-late') }),
      postUser('duplicate', { userName: 'TAKEN' }),
      postGroup('needs-duplicate', { displayName: 'Needs Duplicate', members: membersOf('bulkId:duplicate') }),
      postUser('managed', { schemas: [USER_SCHEMA, ENTERPRISE], userName: 'managed', [ENTERPRISE]: { manager: 'bulkId:duplicate' } }),
      { method: 'PATCH', path: '/Users/bulkId:duplicate', data: patchOp({ op: 'replace', path: 'title', value: 'x' }) },
      { method: 'POST', path: '/Users', bulkId: 'invalid-late', data: { schemas: [USER_SCHEMA], displayName: 'no userName' } },
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['needs-late', '409'],
      ['duplicate', '409'],
      ['needs-duplicate', '409'],
      ['managed', '409'],
      ['PATCH', '409'],
      ['invalid-late', '400'],
    ]);
    const details = response.body.Operations.map((operation) => operation.response?.detail ?? '');
    expect(details[0]).toContain('invalid-late');
    expect(response.body.Operations[1].response?.scimType).toBe('uniqueness');
    for (const index of [2, 3, 4]) expect(details[index]).toContain('duplicate');
    expect(await tenant.rows()).toEqual(rowsBefore);
    expect(await tenant.usersNamed('managed')).toEqual([]);
    expect((await tenant.users.get(taken.id)).body).toEqual(taken);
  });

  it('fails the operations of a cycle, and one referencing itself, with 409, and runs the operations outside them', async () => {
    const tenant = await newBulkTenant(roster);
    const managedBy = (userName: string, manager: string) =>
      postUser(userName, { schemas: [USER_SCHEMA, ENTERPRISE], userName, [ENTERPRISE]: { manager: `bulkId:${manager}` } });
    const response = await tenant.bulk([
      managedBy('cycle-left', 'cycle-right'),
      managedBy('cycle-right', 'cycle-left'),
      managedBy('narcissus', 'narcissus'),
      postUser('bystander', { userName: 'bystander' }),
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['cycle-left', '409'],
      ['cycle-right', '409'],
      ['narcissus', '409'],
      ['bystander', '201'],
    ]);
    const [left, right, self] = response.body.Operations.map((operation) => operation.response?.detail ?? '');
    expect(left).toContain('cycle-right');
    expect(right).toContain('cycle-left');
    expect(self).toContain('narcissus');
    for (const userName of ['cycle-left', 'cycle-right', 'narcissus']) expect(await tenant.usersNamed(userName)).toEqual([]);
    expect(await tenant.usersNamed('bystander')).toHaveLength(1);
    expect(await tenant.rows()).toMatchObject({ users: 1, groups: 0 });
  });
});
