import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { groupsApi } from '../support/scim-groups.js';
import { ACCESS_USER, expectStatus, librariesAdmin } from '../support/scim-libraries.js';
import { PATCH_OP, usersApi, type UsersApi } from '../support/scim-users.js';

interface ListPage {
  readonly totalResults: number;
  readonly itemsPerPage: number;
  readonly startIndex: number;
  readonly Resources?: { id: string }[];
}

/**
 * A keyed filter's unsorted index page reads its users, their groups and grants in one statement,
 * and a first page with room to spare is its own total; any other page (a full one, a later one,
 * one past the end, a sorted one) counts on its own. The same pages through a filter that is not
 * keyed (`co`: counted, paged and read by id in separate statements) are the reference, to the
 * byte.
 */
describe.each(databaseKinds())('Totals of keyed filter pages on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let token: string;
  const SHARED = 'shared.inbox@example.com';

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    const sharers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await users.create({ userName: `sharer${i}@example.com`, emails: [{ type: 'work', value: SHARED }] });
      expectStatus(created, 201);
      sharers.push(created.body.id);
    }
    const library = await librariesAdmin(roster, connection.tenantId).add('Shared "Library" 😀');
    expectStatus(await users.patch(sharers[1], { schemas: [PATCH_OP], Operations: [{ op: 'add', path: `${ACCESS_USER}:libraries`, value: [{ value: library.id }] }] }), 200);
    for (const name of ['Zulu team', 'alpha team']) {
      expectStatus(await groupsApi(roster, token).create({ displayName: name, members: sharers.slice(0, 2).map((value) => ({ value })) }), 201);
    }
    expectStatus(await users.create({ userName: 'loner@example.com', emails: [{ type: 'work', value: 'loner.inbox@example.com' }] }), 201);
  });
  afterAll(() => roster.close());

  const page = async (filter: string, query: string): Promise<ListPage> => {
    const response = await roster.http.get<ListPage>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}&${query}`, { token });
    expectStatus(response, 200);
    return response.body;
  };
  const shape = (body: ListPage) => ({ total: body.totalResults, items: body.itemsPerPage, start: body.startIndex, resources: JSON.stringify(body.Resources ?? []) });

  it.each([
    ['the first page of two', 'count=2', 3, 2],
    ['the last page', 'startIndex=3&count=2', 3, 1],
    ['a page past the end', 'startIndex=10&count=2', 3, 0],
    ['no page at all (count=0)', 'count=0', 3, 0],
    ['the whole set', 'count=100', 3, 3],
    ['exactly the whole set (a full first page)', 'count=3', 3, 3],
    ['the second page of one each', 'startIndex=2&count=1', 3, 1],
    ['the first sorted page of two', 'sortBy=userName&sortOrder=descending&count=2', 3, 2],
    ['the sorted whole set', 'sortBy=userName&count=10', 3, 3],
    ['the last sorted page', 'sortBy=userName&startIndex=3&count=2', 3, 1],
  ])('answers %s with the filtered total, as an unkeyed filter does', async (_label, query, total, items) => {
    const keyed = await page(`emails[type eq "work"].value eq "${SHARED}"`, query);
    const unkeyed = await page(`emails[type eq "work"].value co "shared.inbox@"`, query);
    expect(shape(keyed)).toEqual(shape(unkeyed));
    expect(keyed.totalResults).toBe(total);
    expect(keyed.Resources ?? []).toHaveLength(items);
  });

  it('answers the users with their groups and grants, in the same bytes as the reference', async () => {
    const keyed = await page(`emails[type eq "work"].value eq "${SHARED}"`, 'count=10');
    const withBoth = (keyed.Resources ?? []).find((user) => 'groups' in user && ACCESS_USER in user) as Record<string, unknown> | undefined;
    expect(withBoth).toBeDefined();
    expect((withBoth?.groups as { display: string }[]).map((group) => group.display)).toEqual(['alpha team', 'Zulu team']);
    expect(shape(keyed)).toEqual(shape(await page(`emails[type eq "work"].value co "shared.inbox@"`, 'count=10')));
  });

  it.each([
    ['no match on the first page', 'count=5'],
    ['no match past the first page', 'startIndex=4&count=5'],
  ])('answers %s with a total of 0', async (_label, query) => {
    const body = await page('userName eq "nobody@example.com"', query);
    expect(body.totalResults).toBe(0);
    expect(body.Resources ?? []).toHaveLength(0);
  });
});
