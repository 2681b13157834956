import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi, type ScimGroup } from '../support/scim-groups.js';
import { patchOp, type ScimErrorResponse, usersApi, type UsersApi } from '../support/scim-users.js';

// POST, PUT and PATCH check a member against one rule (the Group schema, RFC 7643 §4.2): a member
// with an unknown sub-attribute is the same 400 whichever way it arrives.
const UNKNOWN_SUB_ATTRIBUTE: ScimErrorResponse = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: '400',
  scimType: 'invalidValue',
  detail: '"members" has no sub-attribute "primary"',
};

describe.each(databaseKinds())('Group members with unknown sub-attributes on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let groups: GroupsApi;
  let counter = 0;

  const newUser = async (): Promise<string> => {
    counter += 1;
    const response = await users.create({ userName: `rule${counter}@example.com` });
    expect(response.status).toBe(201);
    return response.body.id;
  };

  beforeAll(async () => {
    roster = await startRoster(kind);
    const token = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
  });
  afterAll(() => roster.close());

  it('are refused by POST and PUT', async () => {
    const a = await newUser();
    const posted = await groups.create({ displayName: 'Posted', members: [{ value: a, primary: true }] });
    expect(posted.status).toBe(400);
    expect(posted.body).toEqual(UNKNOWN_SUB_ATTRIBUTE);
    const group = (await groups.create({ displayName: 'Put', members: [{ value: a }] })).body;
    const put = await groups.put(group.id, { schemas: [GROUP_SCHEMA], displayName: 'Put', members: [{ value: a, primary: true }] });
    expect(put.status).toBe(400);
    expect(put.body).toEqual(UNKNOWN_SUB_ATTRIBUTE);
  });

  it.each<[string, (added: string, kept: string) => unknown]>([
    ['add', (added) => ({ op: 'add', path: 'members', value: [{ value: added, primary: true }] })],
    ['add beside a valid member', (added, kept) => ({ op: 'add', path: 'members', value: [{ value: added }, { value: kept, primary: true }] })],
    ['replace', (added) => ({ op: 'replace', path: 'members', value: [{ value: added, primary: true }] })],
    ['path-less add (Okta)', (added) => ({ op: 'add', value: { members: [{ value: added, display: 'x', primary: true }] } })],
    ['path-less replace with a rename', (added) => ({ op: 'Replace', value: { displayName: 'Renamed', members: [{ value: added, primary: true }] } })],
    ['remove of a value list (Entra)', (_added, kept) => ({ op: 'Remove', path: 'members', value: [{ value: kept, primary: true }] })],
  ])('are refused by PATCH %s with the same 400, changing nothing', async (label, operation) => {
    const [kept, added] = [await newUser(), await newUser()];
    const group: ScimGroup = (await groups.create({ displayName: `Patched ${label}`, members: [{ value: kept }] })).body;
    const response = await groups.patch(group.id, patchOp(operation(added, kept)));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(UNKNOWN_SUB_ATTRIBUTE);
    const after = await groups.get(group.id);
    expect(after.body.displayName).toBe(`Patched ${label}`);
    expect(after.body.meta.version).toBe(group.meta.version);
    expect(await groups.memberIds(group.id)).toEqual([kept]);
  });
});
