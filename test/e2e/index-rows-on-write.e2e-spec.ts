import { GROUPS } from '../../src/modules/groups/group.definition.js';
import type { ResourceDefinition } from '../../src/modules/resources/resource-definition.js';
import { USERS } from '../../src/modules/users/user.definition.js';
import { indexedValuesOf } from '../../src/scim/query/indexed-values.js';
import { keyPrefixOf } from '../../src/scim/query/value-keys.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { captureStatements, rosterDataSource } from '../support/captured-sql.js';
import { databaseKinds } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { groupsApi, type GroupsApi } from '../support/scim-groups.js';
import { ENTERPRISE, patchOp, USER_SCHEMA, usersApi, type UsersApi } from '../support/scim-users.js';

const NOTIFICATIONS = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';

interface IndexRow {
  readonly attr: string;
  readonly sub: string;
  readonly element: number;
  readonly key_prefix: string | null;
  readonly text_key: string | null;
  readonly num_value: number | null;
}

type Step = [string, (id: string) => Promise<HttpResponse<unknown>>];

// Issue 15: a write replaces only the index rows whose (attr, sub, element) slot changed. The
// rows must still be, after every write, those a full rewrite from the stored document gives.
describe.each(databaseKinds())('filter-index rows after writes, on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let groups: GroupsApi;
  let tenantId: string;
  let token: string;

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
  });
  afterAll(() => roster.close());

  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
    // Written with `?`; PostgreSQL numbers its placeholders.
    let n = 0;
    const text = kind === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
    return (await rosterDataSource(roster).query(text, params)) as T[];
  };

  const sorted = (rows: readonly IndexRow[]): string[] => rows.map((row) => JSON.stringify([row.attr, row.sub, Number(row.element), row.key_prefix, row.text_key, row.num_value === null ? null : Number(row.num_value)])).sort();

  /** The stored rows of a resource against indexedValuesOf its stored document: what a full rewrite writes. */
  const expectIndexOfStoredDocument = async (definition: ResourceDefinition, id: string): Promise<void> => {
    const [stored] = await query<{ data: unknown }>(`SELECT data FROM ${definition.table.table} WHERE id = ? AND tenant_id = ?`, [id, tenantId]);
    const data = (typeof stored.data === 'string' ? JSON.parse(stored.data) : stored.data) as Record<string, unknown>;
    const expected = indexedValuesOf({ ...data, id }, definition.type.context).map((row) => ({
      attr: row.attr,
      sub: row.sub,
      element: row.element,
      key_prefix: row.text === null ? null : keyPrefixOf(row.text),
      text_key: row.text,
      num_value: row.num,
    }));
    const actual = await query<IndexRow>(`SELECT attr, sub, element, key_prefix, text_key, num_value FROM ${definition.table.valuesTable} WHERE resource_id = ?`, [id]);
    expect(sorted(actual)).toEqual(sorted(expected));
  };

  const found = async (filter: string): Promise<string[]> => {
    const listed = await roster.http.get<{ Resources?: { id: string }[] }>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}`, { token });
    expect(listed.status).toBe(200);
    return (listed.body.Resources ?? []).map((resource) => resource.id);
  };

  const userBody = {
    userName: 'Index.Rows@Example.com',
    externalId: 'ext-1',
    name: { givenName: 'Ada', familyName: 'Rows' },
    emails: [
      { value: 'work@example.com', type: 'work', primary: true },
      { value: 'home@example.com', type: 'home' },
    ],
    phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
    schemas: [USER_SCHEMA, ENTERPRISE],
    [ENTERPRISE]: { department: 'Maths', costCenter: '7', manager: { value: 'm-1' } },
  };

  const userSteps: Step[] = [
    ['PATCH adds an email without a type', (id) => users.patch(id, patchOp({ op: 'add', path: 'emails', value: [{ value: 'other@example.com' }] }))],
    ['PATCH replaces the work email through a value filter', (id) => users.patch(id, patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'new-work@example.com' }))],
    ['PATCH makes the home email primary (elements change places)', (id) => users.patch(id, patchOp({ op: 'replace', path: 'emails[type eq "home"].primary', value: true }))],
    ['PATCH removes the home email', (id) => users.patch(id, patchOp({ op: 'remove', path: 'emails[type eq "home"]' }))],
    ['PATCH changes the case of userName only', (id) => users.patch(id, patchOp({ op: 'replace', path: 'userName', value: 'INDEX.ROWS@EXAMPLE.COM' }))],
    ['PATCH deactivates', (id) => users.patch(id, patchOp({ op: 'replace', path: 'active', value: false }))],
    ['PATCH replaces an extension attribute by URN path', (id) => users.patch(id, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Physics' }))],
    ['PATCH removes an extension attribute and the manager', (id) => users.patch(id, patchOp({ op: 'remove', path: `${ENTERPRISE}:costCenter` }, { op: 'remove', path: `${ENTERPRISE}:manager` }))],
    ['PATCH without path with dotted and URN keys', (id) => users.patch(id, patchOp({ op: 'replace', value: { 'name.givenName': 'Augusta', [`${ENTERPRISE}:division`]: 'R&D', title: 'Dr' } }))],
    ['PATCH adds a second extension', (id) => users.patch(id, patchOp({ op: 'add', path: `${NOTIFICATIONS}:sendInvitation`, value: true }))],
    [
      'PUT replaces the whole user with a new userName',
      (id) =>
        users.put(id, {
          schemas: [USER_SCHEMA, ENTERPRISE],
          userName: 'renamed@example.com',
          externalId: 'ext-2',
          emails: [{ value: 'put-home@example.com', type: 'home' }, { value: 'put-work@example.com', type: 'work', primary: true }],
          [ENTERPRISE]: { department: 'Chemistry' },
        }),
    ],
    ['PUT with the same document changes no slot', (id) => users.put(id, { schemas: [USER_SCHEMA, ENTERPRISE], userName: 'renamed@example.com', externalId: 'ext-2', emails: [{ value: 'put-home@example.com', type: 'home' }, { value: 'put-work@example.com', type: 'work', primary: true }], [ENTERPRISE]: { department: 'Chemistry' } })],
    ['PATCH removes every email', (id) => users.patch(id, patchOp({ op: 'remove', path: 'emails' }))],
    ['DELETE then a POST of the same userName restores the user with a new body', async (id) => {
      expect((await users.delete(id)).status).toBe(204);
      const restored = await users.create({ userName: 'Renamed@Example.com', displayName: 'Back', emails: [{ value: 'back@example.com', type: 'work' }] });
      expect(restored.body).toMatchObject({ id });
      return restored;
    }],
  ];

  it('keeps a user\'s rows equal to those of its stored document through PATCH, PUT and restore, and filters follow the values', async () => {
    const created = await users.create(userBody);
    expect(created.status).toBe(201);
    const { id } = created.body;
    await expectIndexOfStoredDocument(USERS, id);
    for (const [step, write] of userSteps) {
      const response = await write(id);
      expect({ step, status: response.status < 300 ? 'ok' : response.text }).toEqual({ step, status: 'ok' });
      await expectIndexOfStoredDocument(USERS, id);
    }
    expect(await found('userName eq "renamed@example.com"')).toEqual([id]);
    expect(await found('emails[type eq "work"].value eq "back@example.com"')).toEqual([id]);
    expect(await found('displayName eq "Back"')).toEqual([id]);
    for (const gone of [
      'userName eq "index.rows@example.com"',
      'externalId eq "ext-2"',
      'emails.value eq "put-work@example.com"',
      'emails.value eq "new-work@example.com"',
      `${ENTERPRISE}:department eq "Chemistry"`,
      'name.givenName eq "Augusta"',
      'title pr',
      'active eq false',
    ]) {
      expect({ filter: gone, found: await found(gone) }).toEqual({ filter: gone, found: [] });
    }
  });

  it('finds the user by the new values and no longer by the old ones after PATCH and PUT', async () => {
    const { id } = (await users.create({ userName: 'filters@example.com', emails: [{ value: 'old@example.com', type: 'work' }], [ENTERPRISE]: { department: 'Old' }, schemas: [USER_SCHEMA, ENTERPRISE] })).body;
    await users.patch(id, patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'fresh@example.com' }, { op: 'replace', path: `${ENTERPRISE}:department`, value: 'New' }));
    expect(await found('emails[type eq "work"].value eq "fresh@example.com"')).toEqual([id]);
    expect(await found(`${ENTERPRISE}:department eq "New"`)).toEqual([id]);
    expect(await found('emails.value eq "old@example.com"')).toEqual([]);
    expect(await found(`${ENTERPRISE}:department eq "Old"`)).toEqual([]);
    await users.put(id, { schemas: [USER_SCHEMA], userName: 'FILTERS@example.com', nickName: 'put' });
    expect(await found('userName eq "filters@EXAMPLE.com"')).toEqual([id]);
    expect(await found('nickName eq "put"')).toEqual([id]);
    expect(await found('emails pr')).not.toContain(id);
    expect(await found(`${ENTERPRISE}:department pr`)).not.toContain(id);
    await expectIndexOfStoredDocument(USERS, id);
  });

  it('replaces only the slot a PATCH of active changes', async () => {
    const { id } = (await users.create({ ...userBody, userName: 'one-slot@example.com', externalId: 'ext-one', active: true })).body;
    const statements = await captureStatements(roster, async () => {
      expect((await users.patch(id, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    });
    const onValues = statements.filter((statement) => /\buser_values\b/.test(statement.sql) && /^\s*(DELETE|INSERT)/i.test(statement.sql));
    expect(onValues.map((statement) => statement.sql.trim().split(/\s+/)[0].toUpperCase())).toEqual(['DELETE', 'INSERT']);
    const [deleted, inserted] = onValues;
    // The slot's attr and sub (SQLite's driver writes the element number into the SQL as a literal).
    expect(deleted.parameters.filter((parameter) => parameter !== id && parameter !== tenantId && parameter !== 0)).toEqual(['active', '']);
    expect(inserted.parameters).toEqual(expect.arrayContaining(['active', 'false']));
    expect(inserted.parameters).not.toContain('username');
    await expectIndexOfStoredDocument(USERS, id);
  });

  it('keeps a group\'s rows equal to those of its stored document through rename, PATCH and PUT', async () => {
    const created = await groups.create({ displayName: 'Index Group', externalId: 'g-1' });
    expect(created.status).toBe(201);
    const { id } = created.body;
    await expectIndexOfStoredDocument(GROUPS, id);
    const steps: Step[] = [
      ['PATCH renames the group', (group) => groups.patch(group, patchOp({ op: 'replace', path: 'displayName', value: 'Index Group Renamed' }))],
      ['PATCH removes its externalId', (group) => groups.patch(group, patchOp({ op: 'remove', path: 'externalId' }))],
      ['PUT replaces it', (group) => groups.put(group, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Index Group Renamed', externalId: 'g-2' })],
    ];
    for (const [step, write] of steps) {
      const response = await write(id);
      expect({ step, status: response.status < 300 ? 'ok' : response.text }).toEqual({ step, status: 'ok' });
      await expectIndexOfStoredDocument(GROUPS, id);
    }
  });
});
