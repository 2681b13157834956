import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { createdId, ERROR_SCHEMA, membersOf, newBulkTenant, postGroup, postUser, statusesOf } from '../support/scim-bulk.js';
import { ACCESS_GROUP, GROUP_SCHEMA } from '../support/scim-groups.js';
import { patchOp, USER_SCHEMA } from '../support/scim-users.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** A user body the Users endpoint refuses with 400 (userName is required, RFC 7643 §4.1.1). */
const invalidUser = (bulkId: string) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [USER_SCHEMA], displayName: 'no userName' } });

describe.each(databaseKinds())('Bulk failures, failOnErrors and version on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  describe('each operation in its own transaction', () => {
    it('runs every operation without failOnErrors: the failed ones leave no trace, the others stay', async () => {
      const tenant = await newBulkTenant(roster);
      const existingId = (await tenant.users.create({ userName: 'existing', title: 'Original' })).body.id;
      const group = (await tenant.groups.create({ displayName: 'Existing Group', members: membersOf(existingId) })).body;
      const existing = (await tenant.users.get(existingId)).body;
      const rowsBefore = await tenant.rows();
      const response = await tenant.bulk([
        postUser('fresh-1', { userName: 'fresh-1' }),
        postUser('duplicate', { userName: 'EXISTING' }),
        postGroup('broken', { displayName: 'Broken', members: membersOf(existing.id, UNKNOWN_ID) }),
        { method: 'PATCH', path: `/Groups/${group.id}`, data: patchOp({ op: 'add', path: 'members', value: membersOf(UNKNOWN_ID) }) },
        { method: 'PUT', path: `/Users/${existing.id}`, data: { schemas: [USER_SCHEMA], userName: 'fresh-1', title: 'Clash' } },
        // The first PATCH operation is valid: it must not be applied when the second fails.
        { method: 'PATCH', path: `/Users/${existing.id}`, data: patchOp({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'explode', path: 'title' }) },
        postUser('fresh-2', { userName: 'fresh-2' }),
        { method: 'DELETE', path: `/Users/${UNKNOWN_ID}` },
      ]);
      expect(response.status).toBe(200);
      expect(statusesOf(response)).toEqual([
        ['fresh-1', '201'],
        ['duplicate', '409'],
        ['broken', '400'],
        ['PATCH', '400'],
        ['PUT', '409'],
        ['PATCH', '400'],
        ['fresh-2', '201'],
        ['DELETE', '404'],
      ]);
      for (const failed of response.body.Operations.filter((operation) => !operation.status.startsWith('2'))) {
        expect(failed.response).toMatchObject({ schemas: [ERROR_SCHEMA], status: failed.status, detail: expect.any(String) });
      }
      expect(await tenant.usersNamed('fresh-1')).toHaveLength(1);
      expect(await tenant.usersNamed('fresh-2')).toHaveLength(1);
      expect((await tenant.users.get(existing.id)).body).toEqual(existing);
      expect(await tenant.groupsNamed('Broken')).toEqual([]);
      expect((await tenant.groups.get(group.id)).body).toEqual(group);
      expect(await tenant.rows()).toEqual({ ...rowsBefore, users: rowsBefore.users + 2, user_values: expect.any(Number) });
    });

    it('rolls back an operation that fails late (a second holder of a unique role) and keeps the users it named', async () => {
      const tenant = await newBulkTenant(roster);
      const response = await tenant.bulk([
        postUser('holder', { userName: 'holder', roles: ['owner'] }),
        postGroup('owners', {
          schemas: [GROUP_SCHEMA, ACCESS_GROUP],
          displayName: 'Owners',
          [ACCESS_GROUP]: { role: 'owner' },
          members: membersOf('bulkId:holder', 'bulkId:newcomer'),
        }),
        postUser('newcomer', { userName: 'newcomer' }),
      ]);
      expect(statusesOf(response)).toEqual([
        ['holder', '201'],
        ['owners', '409'],
        ['newcomer', '201'],
      ]);
      expect(response.body.Operations[1].response?.scimType).toBe('uniqueness');
      const [holder, newcomer] = [createdId(response.body.Operations[0]), createdId(response.body.Operations[2])];
      expect(await tenant.groupsNamed('Owners')).toEqual([]);
      expect((await tenant.access(holder)).body).toMatchObject({ roles: ['owner'], groups: [] });
      expect((await tenant.access(newcomer)).body).toMatchObject({ roles: [], groups: [] });
      expect(await tenant.rows()).toMatchObject({ users: 2, groups: 0, group_members: 0, group_values: 0, unique_role_holders: 1 });
    });
  });

  describe('failOnErrors', () => {
    it('stops after the first error with failOnErrors 1: the rest is neither run nor listed', async () => {
      const tenant = await newBulkTenant(roster);
      const response = await tenant.bulk(
        [
          postUser('first', { userName: 'first' }),
          invalidUser('invalid'),
          postUser('third', { userName: 'third' }),
          postGroup('fourth', { displayName: 'Fourth', members: membersOf('bulkId:first') }),
        ],
        { failOnErrors: 1 },
      );
      expect(response.status).toBe(200);
      expect(statusesOf(response)).toEqual([
        ['first', '201'],
        ['invalid', '400'],
      ]);
      expect(await tenant.usersNamed('first')).toHaveLength(1);
      expect(await tenant.usersNamed('third')).toEqual([]);
      expect(await tenant.groupsNamed('Fourth')).toEqual([]);
      expect(await tenant.rows()).toMatchObject({ users: 1, groups: 0 });
    });

    it('runs until the second error with failOnErrors 2', async () => {
      const tenant = await newBulkTenant(roster);
      await tenant.users.create({ userName: 'taken' });
      const response = await tenant.bulk(
        [
          postUser('clash-1', { userName: 'taken' }),
          postUser('between', { userName: 'between' }),
          postUser('clash-2', { userName: 'TAKEN' }),
          postUser('after', { userName: 'after' }),
        ],
        { failOnErrors: 2 },
      );
      expect(statusesOf(response)).toEqual([
        ['clash-1', '409'],
        ['between', '201'],
        ['clash-2', '409'],
      ]);
      expect(await tenant.usersNamed('between')).toHaveLength(1);
      expect(await tenant.usersNamed('after')).toEqual([]);
      expect(await tenant.rows()).toMatchObject({ users: 2 });
    });

    it('lists what ran in request order when references reorder execution, and leaves out what failOnErrors stopped', async () => {
      const tenant = await newBulkTenant(roster);
      const response = await tenant.bulk(
        [
          postGroup('team', { displayName: 'Team', members: membersOf('bulkId:member') }),
          postUser('member', { userName: 'member' }),
          invalidUser('invalid'),
          postUser('never', { userName: 'never' }),
        ],
        { failOnErrors: 1 },
      );
      expect(statusesOf(response)).toEqual([
        ['team', '201'],
        ['member', '201'],
        ['invalid', '400'],
      ]);
      const [team, member] = response.body.Operations.slice(0, 2).map(createdId);
      expect(await tenant.groups.memberIds(team)).toEqual([member]);
      expect(await tenant.usersNamed('never')).toEqual([]);
    });

    it('leaves out an earlier operation still waiting for a later POST when failOnErrors stops first', async () => {
      const tenant = await newBulkTenant(roster);
      const response = await tenant.bulk(
        [postGroup('waiting', { displayName: 'Waiting', members: membersOf('bulkId:late') }), invalidUser('invalid'), postUser('late', { userName: 'late' })],
        { failOnErrors: 1 },
      );
      expect(statusesOf(response)).toEqual([['invalid', '400']]);
      expect(await tenant.groupsNamed('Waiting')).toEqual([]);
      expect(await tenant.usersNamed('late')).toEqual([]);
      expect(await tenant.rows()).toMatchObject({ users: 0, groups: 0 });
    });
  });

  describe('version as If-Match', () => {
    it('fails only the operations whose version is stale with 412, leaving their resources unchanged, and runs the current ones', async () => {
      const tenant = await newBulkTenant(roster);
      const create = async (userName: string) => (await tenant.users.create({ userName, title: 'Original' })).body;
      const stalePatch = await create('stale-patch');
      const currentPut = await create('current-put');
      const staleDelete = await create('stale-delete');
      const currentDelete = await create('current-delete');
      const group = (await tenant.groups.create({ displayName: 'Versioned' })).body;
      expect(group.meta.version).toBe('W/"1"');
      const response = await tenant.bulk([
        { method: 'PATCH', path: `/Users/${stalePatch.id}`, version: 'W/"7"', data: patchOp({ op: 'replace', path: 'title', value: 'Changed' }) },
        { method: 'PUT', path: `/Users/${currentPut.id}`, version: 'W/"1"', data: { schemas: [USER_SCHEMA], userName: 'current-put', title: 'Replaced' } },
        { method: 'DELETE', path: `/Users/${staleDelete.id}`, version: 'W/"5"' },
        { method: 'DELETE', path: `/Users/${currentDelete.id}`, version: 'W/"1"' },
        { method: 'PATCH', path: `/Groups/${group.id}`, version: 'W/"9"', data: patchOp({ op: 'add', path: 'members', value: membersOf(stalePatch.id) }) },
        { method: 'PATCH', path: `/Groups/${group.id}`, version: 'W/"1"', data: patchOp({ op: 'add', path: 'members', value: membersOf(currentPut.id) }) },
      ]);
      expect(response.status).toBe(200);
      expect(statusesOf(response)).toEqual([
        ['PATCH', '412'],
        ['PUT', '200'],
        ['DELETE', '412'],
        ['DELETE', '204'],
        ['PATCH', '412'],
        ['PATCH', '204'],
      ]);
      for (const index of [0, 2, 4]) expect(response.body.Operations[index].response).toMatchObject({ schemas: [ERROR_SCHEMA], status: '412' });
      expect(response.body.Operations[1].version).toBe('W/"2"');
      expect((await tenant.users.get(stalePatch.id)).body).toEqual(stalePatch);
      expect((await tenant.users.get(staleDelete.id)).body).toEqual(staleDelete);
      expect((await tenant.users.get(currentPut.id)).body).toMatchObject({ title: 'Replaced', meta: { version: 'W/"2"' } });
      expect((await tenant.users.get(currentDelete.id)).status).toBe(404);
      expect(await tenant.groups.memberIds(group.id)).toEqual([currentPut.id]);
      expect((await tenant.access(stalePatch.id)).body.groups).toEqual([]);
    });

    it('checks the version of a resource named by a bulkId: reference against the version its POST created', async () => {
      const tenant = await newBulkTenant(roster);
      const response = await tenant.bulk([
        postUser('fresh', { userName: 'fresh' }),
        { method: 'PATCH', path: '/Users/bulkId:fresh', version: 'W/"2"', data: patchOp({ op: 'replace', path: 'title', value: 'Too early' }) },
        { method: 'PATCH', path: '/Users/bulkId:fresh', version: 'W/"1"', data: patchOp({ op: 'replace', path: 'title', value: 'On time' }) },
      ]);
      expect(statusesOf(response)).toEqual([
        ['fresh', '201'],
        ['PATCH', '412'],
        ['PATCH', '200'],
      ]);
      expect((await tenant.users.get(createdId(response.body.Operations[0]))).body).toMatchObject({ title: 'On time', meta: { version: 'W/"2"' } });
    });
  });
});
