import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { countUserRows, patchOp, usersApi, type ScimErrorResponse, type UsersApi } from '../support/scim-users.js';

const WRITERS = 20;

describe.each(databaseKinds())('Users: concurrent writes on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let users: UsersApi;

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    users = usersApi(roster, await requestAccessToken(roster.http, connection));
  });
  afterAll(() => roster.close());

  it('answers exactly one 201 and nineteen 409 uniqueness to 20 concurrent POSTs of one userName', async () => {
    const before = await countUserRows(roster, tenantId);
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => users.create<ScimErrorResponse & { id: string }>({ userName: 'racer@example.com', title: `attempt ${i}` })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(WRITERS - 1).fill(409)]);
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(loser.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    }
    expect(await countUserRows(roster, tenantId)).toBe(before + 1);
    const winner = responses.find((r) => r.status === 201);
    expect((await users.get(winner?.body.id ?? '')).status).toBe(200);
  });

  it('answers exactly one 201 to 20 concurrent POSTs restoring one soft-deleted userName', async () => {
    const original = (await users.create({ userName: 'returner@example.com' })).body;
    expect((await users.delete(original.id)).status).toBe(204);
    const responses = await Promise.all(Array.from({ length: WRITERS }, () => users.create<ScimErrorResponse & { id: string }>({ userName: 'returner@example.com' })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(WRITERS - 1).fill(409)]);
    expect(responses.find((r) => r.status === 201)?.body.id).toBe(original.id);
  });

  it('loses none of 20 concurrent PATCHes without If-Match: all 200, all 20 emails kept, version W/"21"', async () => {
    const user = (await users.create({ userName: 'patched-by-many@example.com' })).body;
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => users.patch(user.id, patchOp({ op: 'add', path: 'emails', value: [{ value: `u${i}@example.com` }] }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array<number>(WRITERS).fill(200));
    const versions = responses.map((r) => r.body.meta.version).sort();
    expect(new Set(versions).size).toBe(WRITERS);
    const read = await users.get(user.id);
    expect(read.status).toBe(200);
    const emails = (read.body.emails as { value: string }[]).map((e) => e.value).sort();
    expect(emails).toEqual(Array.from({ length: WRITERS }, (_, i) => `u${i}@example.com`).sort());
    expect(read.body.meta.version).toBe(`W/"${WRITERS + 1}"`);
    expect(read.headers.get('etag')).toBe(`W/"${WRITERS + 1}"`);
  });

  it('answers 412 to every concurrent PATCH with the same If-Match but one, and keeps only the winner', async () => {
    const user = (await users.create({ userName: 'guarded@example.com' })).body;
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        users.patch(user.id, patchOp({ op: 'replace', path: 'title', value: `writer ${i}` }), '', { 'if-match': user.meta.version }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(WRITERS - 1).fill(412)]);
    const winner = responses.find((r) => r.status === 200);
    const read = await users.get(user.id);
    expect(read.body.title).toBe(winner?.body.title);
    expect(read.body.meta.version).toBe('W/"2"');
  });
});
