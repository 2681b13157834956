import { requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { bulkRequest, createdId, ERROR_SCHEMA, membersOf, newBulkTenant, postGroup, postUser, statusesOf, type BulkTenant } from '../support/scim-bulk.js';
import { GROUP_SCHEMA } from '../support/scim-groups.js';
import { patchOp, USER_SCHEMA } from '../support/scim-users.js';

function expectScimError(response: HttpResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), detail: expect.any(String) });
}

describe.each(databaseKinds())('Bulk authorization and tenant isolation on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  /** A tenant holding one user and one group (with the user as member), read back as its owner sees them. */
  const seededTenant = async () => {
    const tenant = await newBulkTenant(roster);
    const userId = (await tenant.users.create({ userName: 'owned', title: 'Original' })).body.id;
    const group = (await tenant.groups.create({ displayName: 'Owned Group', members: membersOf(userId) })).body;
    const user = (await tenant.users.get(userId)).body;
    return { tenant, user, group, rows: await tenant.rows() };
  };
  /** A bulk that would create, change and delete in `tenant` if it ran. */
  const writes = (userId: string) =>
    bulkRequest([
      postUser('newcomer', { userName: 'newcomer' }),
      { method: 'PATCH', path: `/Users/${userId}`, data: patchOp({ op: 'replace', path: 'title', value: 'Changed' }) },
      { method: 'DELETE', path: `/Users/${userId}` },
    ]);
  const expectUntouched = async (seeded: Awaited<ReturnType<typeof seededTenant>>, tenant: BulkTenant = seeded.tenant): Promise<void> => {
    expect((await tenant.users.get(seeded.user.id)).body).toEqual(seeded.user);
    expect((await tenant.groups.get(seeded.group.id)).body).toEqual(seeded.group);
    expect(await tenant.usersNamed('newcomer')).toEqual([]);
    expect(await tenant.rows()).toEqual(seeded.rows);
  };

  describe('authorization', () => {
    it('refuses a token with only scim.read with a 403 SCIM error, and runs nothing', async () => {
      const seeded = await seededTenant();
      const readOnly = await requestAccessToken(roster.http, seeded.tenant.connection, 'scim.read');
      const response = await seeded.tenant.send(writes(seeded.user.id), readOnly);
      expectScimError(response, 403);
      await expectUntouched(seeded);
    });

    it('refuses the token of a connection granted only scim.read with 403, and runs nothing', async () => {
      const tenant = await newBulkTenant(roster, ['scim.read']);
      const rowsBefore = await tenant.rows();
      const response = await tenant.bulk([postUser('reader', { userName: 'reader' })]);
      expectScimError(response, 403);
      expect(await tenant.usersNamed('reader')).toEqual([]);
      expect(await tenant.rows()).toEqual(rowsBefore);
    });

    it('refuses a request without a token, or with an unknown one, with 401, and runs nothing', async () => {
      const seeded = await seededTenant();
      expectScimError(await roster.http.post('/scim/v2/Bulk', { body: writes(seeded.user.id) }), 401);
      expectScimError(await roster.http.post('/scim/v2/Bulk', { token: 'rst_at_not-a-token', body: writes(seeded.user.id) }), 401);
      await expectUntouched(seeded);
    });
  });

  describe('tenant isolation', () => {
    it("fails PUT, PATCH and DELETE of another tenant's user and group with 404 each, leaving them unchanged", async () => {
      const owner = await seededTenant();
      const intruder = await newBulkTenant(roster);
      const { user, group } = owner;
      const response = await intruder.bulk([
        { method: 'PUT', path: `/Users/${user.id}`, data: { schemas: [USER_SCHEMA], userName: 'owned', title: 'Hijacked' } },
        { method: 'PATCH', path: `/Users/${user.id}`, data: patchOp({ op: 'replace', path: 'active', value: false }) },
        { method: 'DELETE', path: `/Users/${user.id}` },
        { method: 'PUT', path: `/Groups/${group.id}`, data: { schemas: [GROUP_SCHEMA], displayName: 'Hijacked' } },
        { method: 'PATCH', path: `/Groups/${group.id}`, data: patchOp({ op: 'remove', path: 'members' }) },
        { method: 'DELETE', path: `/Groups/${group.id}` },
        postUser('own', { userName: 'owned' }),
      ]);
      expect(response.status).toBe(200);
      expect(statusesOf(response)).toEqual([
        ['PUT', '404'],
        ['PATCH', '404'],
        ['DELETE', '404'],
        ['PUT', '404'],
        ['PATCH', '404'],
        ['DELETE', '404'],
        ['own', '201'],
      ]);
      for (const failed of response.body.Operations.slice(0, 6)) expect(failed.response).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
      // The same userName is free in the intruder's own tenant, under another id.
      expect(createdId(response.body.Operations[6])).not.toBe(user.id);
      await expectUntouched(owner);
      expect((await owner.tenant.access(user.id)).body).toMatchObject({ active: true, groups: [{ id: group.id, displayName: 'Owned Group' }] });
      expect(await intruder.rows()).toMatchObject({ users: 1, groups: 0 });
    });

    it("fails group members naming another tenant's user with 400, by POST, PUT and PATCH", async () => {
      const owner = await seededTenant();
      const intruder = await newBulkTenant(roster);
      const own = (await intruder.groups.create({ displayName: 'Intruders' })).body;
      const rowsBefore = await intruder.rows();
      const foreign = membersOf(owner.user.id);
      const response = await intruder.bulk([
        postGroup('smuggler', { displayName: 'Smuggler', members: foreign }),
        { method: 'PUT', path: `/Groups/${own.id}`, data: { schemas: [GROUP_SCHEMA], displayName: 'Intruders', members: foreign } },
        { method: 'PATCH', path: `/Groups/${own.id}`, data: patchOp({ op: 'add', path: 'members', value: foreign }) },
      ]);
      expect(statusesOf(response)).toEqual([
        ['smuggler', '400'],
        ['PUT', '400'],
        ['PATCH', '400'],
      ]);
      for (const failed of response.body.Operations) expect(failed.response?.detail).toContain(owner.user.id);
      expect(await intruder.groupsNamed('Smuggler')).toEqual([]);
      expect((await intruder.groups.get(own.id)).body).toEqual(own);
      expect(await intruder.rows()).toEqual(rowsBefore);
      expect((await owner.tenant.access(owner.user.id)).body.groups).toEqual([{ id: owner.group.id, displayName: 'Owned Group' }]);
      await expectUntouched(owner);
    });

    it("resolves bulkId: only within its own request: another tenant's bulkId is unknown (409)", async () => {
      const owner = await newBulkTenant(roster);
      const created = await owner.bulk([postUser('shared-name', { userName: 'first-tenant' })]);
      const ownerUser = (await owner.users.get(createdId(created.body.Operations[0]))).body;
      const intruder = await newBulkTenant(roster);
      const response = await intruder.bulk([
        { method: 'PATCH', path: '/Users/bulkId:shared-name', data: patchOp({ op: 'replace', path: 'title', value: 'Reached' }) },
        postGroup('reaching', { displayName: 'Reaching', members: membersOf('bulkId:shared-name') }),
      ]);
      expect(statusesOf(response)).toEqual([
        ['PATCH', '409'],
        ['reaching', '409'],
      ]);
      expect((await owner.users.get(ownerUser.id)).body).toEqual(ownerUser);
      expect(await intruder.rows()).toMatchObject({ users: 0, groups: 0 });
    });
  });
});
