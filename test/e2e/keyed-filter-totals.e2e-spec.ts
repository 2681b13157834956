import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { expectStatus } from '../support/scim-libraries.js';
import { usersApi, type UsersApi } from '../support/scim-users.js';

interface ListPage {
  readonly totalResults: number;
  readonly itemsPerPage: number;
  readonly startIndex: number;
  readonly Resources?: { id: string }[];
}

/**
 * A keyed filter's index page reads its total in the page's own statement (a window count); a
 * page past the end counts on its own. The same pages through a filter that is not keyed (`co`,
 * counted and paged by two statements) are the reference.
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
    for (let i = 0; i < 3; i++) {
      expectStatus(await users.create({ userName: `sharer${i}@example.com`, emails: [{ type: 'work', value: SHARED }] }), 201);
    }
    expectStatus(await users.create({ userName: 'loner@example.com', emails: [{ type: 'work', value: 'loner.inbox@example.com' }] }), 201);
  });
  afterAll(() => roster.close());

  const page = async (filter: string, query: string): Promise<ListPage> => {
    const response = await roster.http.get<ListPage>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}&${query}`, { token });
    expectStatus(response, 200);
    return response.body;
  };
  const shape = (body: ListPage) => ({ total: body.totalResults, items: body.itemsPerPage, start: body.startIndex, ids: (body.Resources ?? []).map((user) => user.id) });

  it.each([
    ['the first page of two', 'count=2', 3, 2],
    ['the last page', 'startIndex=3&count=2', 3, 1],
    ['a page past the end', 'startIndex=10&count=2', 3, 0],
    ['no page at all (count=0)', 'count=0', 3, 0],
    ['the whole set', 'count=100', 3, 3],
  ])('answers %s with the filtered total, as an unkeyed filter does', async (_label, query, total, items) => {
    const keyed = await page(`emails[type eq "work"].value eq "${SHARED}"`, query);
    const unkeyed = await page(`emails[type eq "work"].value co "shared.inbox@"`, query);
    expect(shape(keyed)).toEqual(shape(unkeyed));
    expect(keyed.totalResults).toBe(total);
    expect(keyed.Resources ?? []).toHaveLength(items);
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
