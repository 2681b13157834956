import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { ENTERPRISE, patchOp, USER_SCHEMA, usersApi, type ScimErrorResponse, type ScimUser, type UsersApi } from '../support/scim-users.js';

const DEPARTMENT = `${ENTERPRISE}:department`;
const MANAGER = `${ENTERPRISE}:manager`;

type Row = [string, Record<string, unknown>, unknown[], Record<string, unknown>, string[]?];

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${++counter}-${Date.now()}`;

describe.each(databaseKinds())('Users: PATCH end to end on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;

  beforeAll(async () => {
    roster = await startRoster(kind);
    users = usersApi(roster, await requestAccessToken(roster.http, await createTenantWithConnection(roster.http)));
  });
  afterAll(() => roster.close());

  async function createUser(body: Record<string, unknown> = {}): Promise<ScimUser> {
    const created = await users.create({ userName: uniqueName('patch'), ...body });
    expect(created.status).toBe(201);
    return created.body;
  }

  const employee = { schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { department: 'Maths', costCenter: '7' } };
  const work = { type: 'work', value: 'w@example.com' };
  const home = { type: 'home', value: 'h@example.com' };

  // [behaviour, user created with, operations, expected in the patched user, attributes expected absent]
  it.each<Row>([
    ['adds attributes without a path', {}, [{ op: 'add', value: { title: 'Boss', nickName: 'B' } }], { title: 'Boss', nickName: 'B' }],
    ['replaces attributes without a path', { title: 'Old' }, [{ op: 'replace', value: { title: 'New' } }], { title: 'New' }],
    ['adds a single attribute by path', {}, [{ op: 'add', path: 'displayName', value: 'Shown' }], { displayName: 'Shown' }],
    ['replaces a sub-attribute by path, keeping its siblings', { name: { givenName: 'A', familyName: 'B' } }, [{ op: 'replace', path: 'name.givenName', value: 'C' }], { name: { givenName: 'C', familyName: 'B' } }],
    ['removes an attribute by path', { title: 'Gone' }, [{ op: 'remove', path: 'title' }], {}, ['title']],
    ['removes a sub-attribute by path', { name: { givenName: 'A', familyName: 'B' } }, [{ op: 'remove', path: 'name.familyName' }], { name: { givenName: 'A' } }],
    ['replaces a URN-qualified extension attribute and lists the extension schema', {}, [{ op: 'replace', path: DEPARTMENT, value: 'Sales' }], { [ENTERPRISE]: { department: 'Sales' }, schemas: expect.arrayContaining([ENTERPRISE]) }],
    ['creates the element when an add value filter matches nothing', { emails: [home] }, [{ op: 'add', path: 'emails[type eq "work"].value', value: 'new@example.com' }], { emails: [home, { type: 'work', value: 'new@example.com' }] }],
    ['creates the element when a replace value filter matches nothing', {}, [{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' }], { addresses: [{ type: 'work', streetAddress: '1 Main St' }] }],
    ['creates the work email Entra replaces when there is none', { emails: [home] }, [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }], { emails: [home, { type: 'work', value: 'new@example.com' }] }],
    ['creates the primary email a replace names when there is none', { emails: [home] }, [{ op: 'replace', path: 'emails[primary eq true].value', value: 'p@example.com' }], { emails: [home, { primary: true, value: 'p@example.com' }] }],
    ['replaces only the element the value filter matches', { emails: [work, home] }, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.com' }], { emails: [{ type: 'work', value: 'x@example.com' }, home] }],
    ['removes only the elements the value filter matches', { emails: [work, home] }, [{ op: 'remove', path: 'emails[type eq "home"]' }], { emails: [work] }],
    ['accepts op in any case', { title: 'T' }, [{ op: 'Add', path: 'nickName', value: 'N' }, { op: 'REPLACE', path: 'displayName', value: 'D' }, { op: 'Remove', path: 'title' }], { nickName: 'N', displayName: 'D' }, ['title']],
    ['accepts dotted and URN-qualified keys in a path-less value', { name: { familyName: 'F' } }, [{ op: 'replace', value: { 'name.givenName': 'G', [DEPARTMENT]: 'Ops' } }], { name: { familyName: 'F', givenName: 'G' }, [ENTERPRISE]: { department: 'Ops' } }],
    ['accepts an extension URN key holding an object in a path-less value', {}, [{ op: 'add', value: { [ENTERPRISE]: { costCenter: '42' } } }], { [ENTERPRISE]: { costCenter: '42' } }],
    ['merges a value into the extension its URN names as path (replace)', employee, [{ op: 'replace', path: ENTERPRISE, value: { department: 'X' } }], { [ENTERPRISE]: { department: 'X', costCenter: '7' } }],
    ['merges a value into the extension its URN names as path (add)', employee, [{ op: 'add', path: ENTERPRISE, value: { division: 'North' } }], { [ENTERPRISE]: { department: 'Maths', costCenter: '7', division: 'North' } }],
    ['removes the extension its URN names as path, and the URN from schemas', employee, [{ op: 'remove', path: ENTERPRISE }], { schemas: [USER_SCHEMA] }, [ENTERPRISE]],
    ['takes the manager as an id string', {}, [{ op: 'add', path: MANAGER, value: 'mgr-1' }], { [ENTERPRISE]: { manager: expect.objectContaining({ value: 'mgr-1' }) } }],
    ['takes the manager as {value}', {}, [{ op: 'replace', path: MANAGER, value: { value: 'mgr-2' } }], { [ENTERPRISE]: { manager: expect.objectContaining({ value: 'mgr-2' }) } }],
    ['clears the other primary when an added email is primary', { emails: [{ ...work, primary: true }] }, [{ op: 'add', path: 'emails', value: [{ ...home, primary: true }] }], { emails: [work, { ...home, primary: true }] }],
    ['clears the other primary when a filtered element is made primary', { emails: [{ ...work, primary: true }, home] }, [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }], { emails: [work, { ...home, primary: true }] }],
    ['reads "False" as false', { active: true }, [{ op: 'Replace', path: 'active', value: 'False' }], { active: false }],
    ['reads "True" as true in a path-less value', { active: false }, [{ op: 'replace', value: { active: 'True' } }], { active: true }],
    ['makes an attribute unassigned with a null value', { title: 'T' }, [{ op: 'replace', path: 'title', value: null }], {}, ['title']],
  ])('%s', async (_behaviour, initial, operations, expected, absent = []) => {
    const user = await createUser(initial);
    const patched = await users.patch(user.id, patchOp(...operations));
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject(expected);
    for (const name of absent) expect(patched.body).not.toHaveProperty(name);
    expect(patched.body.meta.version).toBe('W/"2"');
    expect(patched.headers.get('etag')).toBe('W/"2"');
    const read = await users.get(user.id);
    expect(read.body).toEqual(patched.body);
  });

  // [case, scimType, operations]
  it.each<[string, string, unknown[]]>([
    ['remove with a value filter that matches nothing', 'noTarget', [{ op: 'remove', path: 'emails[type eq "pager"]' }]],
    ['replace whose value filter on value matches nothing, with the operations around it', 'noTarget', [
      { op: 'replace', path: 'title', value: 'Changed' },
      { op: 'replace', path: 'emails[value eq "nobody@example.com"].type', value: 'home' },
      { op: 'add', path: 'nickName', value: 'N' },
    ]],
    ['replace whose value filter on type and value matches nothing', 'noTarget', [{ op: 'replace', path: 'emails[type eq "work" and value eq "other@example.com"].display', value: 'W' }]],
    ['replace of a whole element no value filter matches', 'noTarget', [{ op: 'replace', path: 'emails[type eq "home"]', value: { type: 'home', value: 'h@example.com' } }]],
    ['remove without a path', 'noTarget', [{ op: 'remove' }]],
    ['an unclosed value filter', 'invalidPath', [{ op: 'add', path: 'emails[type eq "work"', value: 'x@example.com' }]],
    ['an empty path segment', 'invalidPath', [{ op: 'replace', path: 'name..givenName', value: 'x' }]],
    ['a path naming no attribute', 'invalidPath', [{ op: 'replace', path: 'favouriteColour', value: 'blue' }]],
    ['a value filter with a bad filter', 'invalidPath', [{ op: 'replace', path: 'emails[type zz "work"].value', value: 'x' }]],
    ['replacing id', 'mutability', [{ op: 'replace', path: 'id', value: 'mine' }]],
    ['replacing meta.created', 'mutability', [{ op: 'replace', path: 'meta.created', value: '2001-01-01T00:00:00Z' }]],
    ['adding groups', 'mutability', [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }]],
  ])('answers 400 for %s with scimType %s and changes nothing', async (_case, scimType, operations) => {
    const user = await createUser({ title: 'Kept', emails: [work] });
    const response = await users.patch<ScimErrorResponse>(user.id, patchOp(...operations));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: '400', scimType, detail: expect.any(String) });
    expect((await users.get(user.id)).body).toEqual(user);
  });

  it.each<[string, unknown[]]>([
    ['a __proto__ path', [{ op: 'add', path: '__proto__', value: { polluted: 'yes' } }]],
    ['a __proto__ sub-attribute path', [{ op: 'add', path: 'name.__proto__', value: { polluted: 'yes' } }]],
    ['a constructor.prototype path', [{ op: 'add', path: 'constructor.prototype.polluted', value: 'yes' }]],
    ['a prototype path', [{ op: 'replace', path: 'prototype', value: { polluted: 'yes' } }]],
    ['a constructor key in a path-less value', [{ op: 'add', value: { constructor: { prototype: { polluted: 'yes' } } } }]],
    ['a __proto__ key under an extension URN', [{ op: 'add', path: `${ENTERPRISE}:__proto__`, value: { polluted: 'yes' } }]],
  ])('rejects %s with 400 and leaves the user and Object.prototype alone', async (_case, operations) => {
    const user = await createUser({ title: 'Kept' });
    const response = await users.patch<ScimErrorResponse>(user.id, patchOp(...operations));
    expect(response.status).toBe(400);
    expect(['invalidPath', 'invalidValue', 'invalidSyntax']).toContain(response.body.scimType);
    expect((await users.get(user.id)).body).toEqual(user);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects a literal "__proto__" key in a path-less value (raw JSON) with 400', async () => {
    const user = await createUser({ title: 'Kept' });
    const raw = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":"yes"},"title":"Changed"}}]}`;
    const response = await users.patchRaw<ScimErrorResponse>(user.id, raw);
    expect(response.status).toBe(400);
    expect(['invalidPath', 'invalidValue', 'invalidSyntax']).toContain(response.body.scimType);
    expect((await users.get(user.id)).body).toEqual(user);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('applies all operations or none: a failing second operation leaves body and meta.version unchanged', async () => {
    const user = await createUser({ title: 'Before', emails: [work] });
    const response = await users.patch<ScimErrorResponse>(
      user.id,
      patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'remove', path: 'emails[type eq "pager"]' }),
    );
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('noTarget');
    const read = await users.get(user.id);
    expect(read.body).toEqual(user);
    expect(read.body.meta.version).toBe('W/"1"');
    expect(read.body.meta.lastModified).toBe(user.meta.lastModified);
  });

  it('honours attributes=userName on the PATCH response while storing the whole change', async () => {
    const user = await createUser({ title: 'T' });
    const response = await users.patch(user.id, patchOp({ op: 'replace', path: 'displayName', value: 'Projected' }), '?attributes=userName');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, userName: user.userName });
    expect(response.body).not.toHaveProperty('displayName');
    expect(response.body).not.toHaveProperty('title');
    expect(response.headers.get('etag')).toBe('W/"2"');
    expect((await users.get(user.id)).body).toMatchObject({ displayName: 'Projected', title: 'T' });
  });

  // The attribute list is checked before the write: a 400 means nothing changed.
  it('answers 400 to a PATCH with an unknown name in ?attributes= and leaves the user unchanged', async () => {
    const user = await createUser({ title: 'Kept' });
    const response = await users.patch<ScimErrorResponse>(user.id, patchOp({ op: 'replace', path: 'title', value: 'Changed' }), '?attributes=nope');
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidValue');
    expect((await users.get(user.id)).body).toEqual(user);
  });

  it('moves lastModified and keeps created on every successful PATCH', async () => {
    const user = await createUser();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = await users.patch(user.id, patchOp({ op: 'add', path: 'title', value: 'One' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await users.patch(user.id, patchOp({ op: 'replace', path: 'title', value: 'Two' }));
    expect(first.body.meta.created).toBe(user.meta.created);
    expect(first.body.meta.lastModified > user.meta.lastModified).toBe(true);
    expect(second.body.meta.lastModified > first.body.meta.lastModified).toBe(true);
    expect(second.body.meta.version).toBe('W/"3"');
  });
});
