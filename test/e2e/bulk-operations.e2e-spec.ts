import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import {
  BULK_RESPONSE,
  createdId,
  ERROR_SCHEMA,
  membersOf,
  newBulkTenant,
  postGroup,
  postUser,
  SCIM_BASE,
  statusesOf,
  type BulkTenant,
} from '../support/scim-bulk.js';
import { GROUP_SCHEMA } from '../support/scim-groups.js';
import { patchOp, USER_SCHEMA } from '../support/scim-users.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe.each(databaseKinds())('Bulk operations run as their single endpoints on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  const newUser = async (tenant: BulkTenant, userName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const response = await tenant.users.create({ userName, ...extra });
    expect(response.status).toBe(201);
    return response.body.id;
  };

  it('creates users and a group: 200 BulkResponse, each with status "201", version W/"1" and a location under publicUrl', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk([
      postUser('alice', { userName: 'alice@example.com', displayName: 'Alice' }),
      postUser('bob', { userName: 'bob@example.com' }),
      postGroup('staff', { displayName: 'Staff' }),
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(response.body.schemas).toEqual([BULK_RESPONSE]);
    const [alice, bob, staff] = response.body.Operations;
    expect(response.body.Operations).toEqual([
      { method: 'POST', bulkId: 'alice', status: '201', version: 'W/"1"', location: `${SCIM_BASE}/Users/${createdId(alice)}` },
      { method: 'POST', bulkId: 'bob', status: '201', version: 'W/"1"', location: `${SCIM_BASE}/Users/${createdId(bob)}` },
      { method: 'POST', bulkId: 'staff', status: '201', version: 'W/"1"', location: `${SCIM_BASE}/Groups/${createdId(staff)}` },
    ]);
    const readAlice = await tenant.users.get(createdId(alice));
    expect(readAlice.status).toBe(200);
    expect(readAlice.body).toMatchObject({ userName: 'alice@example.com', displayName: 'Alice', meta: { location: alice.location, version: alice.version } });
    const readStaff = await tenant.groups.get(createdId(staff));
    expect(readStaff.body).toMatchObject({ displayName: 'Staff', meta: { location: staff.location, version: staff.version } });
    expect(await tenant.rows()).toMatchObject({ users: 2, groups: 1 });
  });

  it('runs PUT and PATCH of a user (200, next version), a member PATCH of a group (204) and DELETE (204), and stores each', async () => {
    const tenant = await newBulkTenant(roster);
    const [kept, patched, leaver] = [await newUser(tenant, 'kept'), await newUser(tenant, 'patched'), await newUser(tenant, 'leaver')];
    const team = (await tenant.groups.create({ displayName: 'Team' })).body;
    const response = await tenant.bulk([
      { method: 'PUT', path: `/Users/${kept}`, data: { schemas: [USER_SCHEMA], userName: 'kept', displayName: 'Replaced' } },
      { method: 'PATCH', path: `/Users/${patched}`, data: patchOp({ op: 'replace', path: 'title', value: 'Lead' }) },
      { method: 'PATCH', path: `/Groups/${team.id}`, data: patchOp({ op: 'add', path: 'members', value: membersOf(kept, patched) }) },
      { method: 'DELETE', path: `/Users/${leaver}` },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.Operations).toEqual([
      expect.objectContaining({ method: 'PUT', status: '200', version: 'W/"2"', location: `${SCIM_BASE}/Users/${kept}` }),
      expect.objectContaining({ method: 'PATCH', status: '200', version: 'W/"2"', location: `${SCIM_BASE}/Users/${patched}` }),
      expect.objectContaining({ method: 'PATCH', status: '204', location: `${SCIM_BASE}/Groups/${team.id}` }),
      expect.objectContaining({ method: 'DELETE', status: '204' }),
    ]);
    const replaced = (await tenant.users.get(kept)).body;
    expect(replaced).toMatchObject({ displayName: 'Replaced', meta: { version: 'W/"2"' } });
    expect((await tenant.users.get(patched)).body).toMatchObject({ title: 'Lead', meta: { version: 'W/"2"' } });
    expect(await tenant.groups.memberIds(team.id)).toEqual([kept, patched].sort());
    expect(response.body.Operations[2].version).toBe((await tenant.groups.get(team.id)).body.meta.version);
    expect((await tenant.access(kept)).body.groups).toEqual([{ id: team.id, displayName: 'Team' }]);
    expect((await tenant.users.get(leaver)).status).toBe(404);
    expect(await tenant.usersNamed('leaver')).toEqual([]);
  });

  it('accepts methods in any case', async () => {
    const tenant = await newBulkTenant(roster);
    const [target, leaver] = [await newUser(tenant, 'target'), await newUser(tenant, 'gone')];
    const response = await tenant.bulk([
      { ...postUser('lower', { userName: 'lower' }), method: 'post' },
      { method: 'Put', path: `/Users/${target}`, data: { schemas: [USER_SCHEMA], userName: 'target', title: 'Put' } },
      { method: 'patch', path: `/Users/${target}`, data: patchOp({ op: 'add', path: 'nickName', value: 'Patched' }) },
      { method: 'delete', path: `/Users/${leaver}` },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.Operations.map((operation) => operation.status)).toEqual(['201', '200', '200', '204']);
    expect(await tenant.usersNamed('lower')).toHaveLength(1);
    expect((await tenant.users.get(target)).body).toMatchObject({ title: 'Put', nickName: 'Patched', meta: { version: 'W/"3"' } });
    expect((await tenant.users.get(leaver)).status).toBe(404);
  });

  it('soft-deletes a user and restores it by a POST of the same userName: same id, which its bulkId then names, none of its old memberships', async () => {
    const tenant = await newBulkTenant(roster);
    const id = await newUser(tenant, 'returner', { title: 'Old title' });
    const club = (await tenant.groups.create({ displayName: 'Club', members: membersOf(id) })).body;
    const rowsBefore = await tenant.rows();
    const response = await tenant.bulk([
      { method: 'DELETE', path: `/Users/${id}` },
      postUser('back', { userName: 'RETURNER', displayName: 'Back again' }),
      postGroup('rejoined', { displayName: 'Rejoined', members: membersOf('bulkId:back') }),
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['DELETE', '204'],
      ['back', '201'],
      ['rejoined', '201'],
    ]);
    expect(createdId(response.body.Operations[1])).toBe(id);
    const restored = (await tenant.users.get(id)).body;
    expect(restored).toMatchObject({ id, displayName: 'Back again' });
    expect(restored).not.toHaveProperty('title');
    expect(await tenant.groups.memberIds(club.id)).toEqual([]);
    const rejoined = createdId(response.body.Operations[2]);
    expect(await tenant.groups.memberIds(rejoined)).toEqual([id]);
    expect((await tenant.access(id)).body.groups).toEqual([{ id: rejoined, displayName: 'Rejoined' }]);
    expect((await tenant.rows()).users).toBe(rowsBefore.users);
  });

  it('fails an operation with the status and SCIM error body its single endpoint answers', async () => {
    const tenant = await newBulkTenant(roster);
    const taken = await newUser(tenant, 'taken');
    const group = (await tenant.groups.create({ displayName: 'Existing' })).body;
    const badPatch = patchOp({ op: 'explode', path: 'title', value: 'x' });
    const unknownMember = { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: membersOf(UNKNOWN_ID) };
    const single = [
      await tenant.users.post({ schemas: [USER_SCHEMA], displayName: 'No userName' }),
      await tenant.users.post({ schemas: [USER_SCHEMA], userName: 'TAKEN' }),
      await tenant.users.patch(taken, badPatch),
      await tenant.users.put(UNKNOWN_ID, { schemas: [USER_SCHEMA], userName: 'nobody' }),
      await tenant.groups.post(unknownMember),
      await tenant.groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: membersOf(UNKNOWN_ID) })),
    ];
    expect(single.map((answer) => answer.status)).toEqual([400, 409, 400, 404, 400, 400]);
    const rowsBefore = await tenant.rows();

    const response = await tenant.bulk([
      { method: 'POST', path: '/Users', bulkId: 'no-name', data: { schemas: [USER_SCHEMA], displayName: 'No userName' } },
      postUser('clash', { userName: 'TAKEN' }),
      { method: 'PATCH', path: `/Users/${taken}`, data: badPatch },
      { method: 'PUT', path: `/Users/${UNKNOWN_ID}`, data: { schemas: [USER_SCHEMA], userName: 'nobody' } },
      { method: 'POST', path: '/Groups', bulkId: 'ghosts', data: unknownMember },
      { method: 'PATCH', path: `/Groups/${group.id}`, data: patchOp({ op: 'add', path: 'members', value: membersOf(UNKNOWN_ID) }) },
    ]);
    expect(response.status).toBe(200);
    const operations = response.body.Operations;
    expect(operations).toHaveLength(single.length);
    operations.forEach((operation, index) => {
      expect(operation.status).toBe(String(single[index].status));
      expect(operation.response).toEqual(single[index].body);
      expect(operation.response?.schemas).toEqual([ERROR_SCHEMA]);
    });
    expect(operations[1].response?.scimType).toBe('uniqueness');
    expect(await tenant.rows()).toEqual(rowsBefore);
    expect((await tenant.groups.get(group.id)).body.meta.version).toBe(group.meta.version);
  });

  it('fails writes to /Libraries with 405 and an unknown path with 404, and runs the rest', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk([
      { method: 'POST', path: '/Libraries', bulkId: 'library', data: { schemas: ['urn:roster:params:scim:schemas:core:2.0:Library'], displayName: 'Docs' } },
      { method: 'DELETE', path: `/Libraries/${UNKNOWN_ID}` },
      { method: 'POST', path: '/Widgets', bulkId: 'widget', data: { displayName: 'x' } },
      { method: 'DELETE', path: `/Users/${UNKNOWN_ID}/extra` },
      postUser('after', { userName: 'after-the-errors' }),
    ]);
    expect(response.status).toBe(200);
    expect(statusesOf(response)).toEqual([
      ['library', '405'],
      ['DELETE', '405'],
      ['widget', '404'],
      ['DELETE', '404'],
      ['after', '201'],
    ]);
    for (const failed of response.body.Operations.slice(0, 4)) {
      expect(failed.response).toMatchObject({ schemas: [ERROR_SCHEMA], status: failed.status });
    }
    expect(await tenant.usersNamed('after-the-errors')).toHaveLength(1);
    const libraries = await roster.http.get<{ totalResults: number }>('/scim/v2/Libraries', { token: tenant.token });
    expect(libraries.body.totalResults).toBe(0);
  });
});
