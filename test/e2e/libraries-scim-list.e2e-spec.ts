import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { groupsApi } from '../support/scim-groups.js';
import {
  expectScimError,
  expectStatus,
  LIBRARY_SCHEMA,
  librariesAdmin,
  type LibrariesAdmin,
  pause,
  scimLibraries,
  type ScimLibraries,
  type ScimLibrary,
} from '../support/scim-libraries.js';
import { usersApi } from '../support/scim-users.js';

// Five libraries, created in this order, a few milliseconds apart; Bravo is changed last.
const SEED: { displayName: string; externalId?: string; description?: string }[] = [
  { displayName: 'alpha', externalId: 'ext-alpha', description: 'First shelf' },
  { displayName: 'Bravo', externalId: 'ext-bravo' },
  { displayName: 'charlie', description: 'Third shelf' },
  { displayName: 'Delta', externalId: 'ext-delta' },
  { displayName: 'echo', externalId: 'ext-echo' },
];
const BY_NAME = ['alpha', 'Bravo', 'charlie', 'Delta', 'echo'];

describe.each(databaseKinds())('Libraries: SCIM lists, filters, sorting, pages and search on %s', (kind) => {
  let roster: RosterHarness;
  let connectionToken: string;
  let admin: LibrariesAdmin;
  let scim: ScimLibraries;
  /** Each seeded library as SCIM answers it after the seed, by displayName. */
  const seeded: Record<string, ScimLibrary> = {};

  const names = (resources: { id: string }[] | undefined): string[] =>
    (resources ?? []).map((resource) => Object.values(seeded).find((library) => library.id === resource.id)?.displayName ?? `unknown ${resource.id}`);
  const listNames = async (query: string): Promise<string[]> => {
    const response = await scim.list(query);
    expectStatus(response, 200);
    return names(response.body.Resources);
  };

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    connectionToken = await requestAccessToken(roster.http, connection);
    admin = librariesAdmin(roster, connection.tenantId);
    scim = scimLibraries(roster, connectionToken);
    for (const { displayName, ...extra } of SEED) {
      await admin.add(displayName, extra);
      await pause(5);
    }
    const bravo = (await admin.listed()).find((library) => library.displayName === 'Bravo')!;
    expectStatus(await admin.patch(bravo.id, { description: 'Second shelf' }), 200);
    for (const library of await admin.listed()) seeded[library.displayName] = (await scim.get(library.id)).body;
  });
  afterAll(() => roster.close());

  it('lists every library of the tenant as a ListResponse with index paging metadata', async () => {
    const response = await scim.list();
    expectStatus(response, 200);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(response.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 5,
      itemsPerPage: 5,
      startIndex: 1,
    });
    expect(names(response.body.Resources).sort()).toEqual([...BY_NAME].sort());
    for (const library of response.body.Resources) expect(library).toEqual(seeded[library.displayName]);
  });

  it.each<[string, (ids: Record<string, string>, meta: Record<string, ScimLibrary['meta']>) => string, string[]]>([
    ['displayName eq, case-insensitively', () => 'displayName eq "ALPHA"', ['alpha']],
    ['displayName eq, lower case for a capitalised name', () => 'displayName eq "bravo"', ['Bravo']],
    ['displayName sw', () => 'displayName sw "CH"', ['charlie']],
    ['displayName co', () => 'displayName co "ELT"', ['Delta']],
    ['externalId eq', () => 'externalId eq "ext-echo"', ['echo']],
    ['externalId pr', () => 'externalId pr', ['alpha', 'Bravo', 'Delta', 'echo']],
    ['description co', () => 'description co "shelf"', ['alpha', 'Bravo', 'charlie']],
    ['id eq', (ids) => `id eq "${ids.charlie}"`, ['charlie']],
    ['or across attributes', () => 'displayName eq "alpha" or externalId eq "ext-delta"', ['alpha', 'Delta']],
    ['not', () => 'not (displayName eq "alpha")', ['Bravo', 'charlie', 'Delta', 'echo']],
    ['meta.created gt', (_ids, meta) => `meta.created gt "${meta.charlie.created}"`, ['Delta', 'echo']],
    ['meta.created le', (_ids, meta) => `meta.created le "${meta.Bravo.created}"`, ['alpha', 'Bravo']],
    ['meta.lastModified gt', (_ids, meta) => `meta.lastModified gt "${meta.echo.lastModified}"`, ['Bravo']],
  ])('filters by %s', async (_label, filter, expected) => {
    const ids = Object.fromEntries(Object.entries(seeded).map(([name, library]) => [name, library.id]));
    const meta = Object.fromEntries(Object.entries(seeded).map(([name, library]) => [name, library.meta]));
    const found = names((await scim.list(`filter=${encodeURIComponent(filter(ids, meta))}`)).body.Resources ?? []);
    expect(found.sort()).toEqual([...expected].sort());
  });

  it('compares displayName case-insensitively in the Unicode sense', async () => {
    const connection = await createTenantWithConnection(roster.http);
    const library = await librariesAdmin(roster, connection.tenantId).add('Äpfel Archiv');
    const unicode = scimLibraries(roster, await requestAccessToken(roster.http, connection));
    expect(await unicode.filterIds('displayName eq "äPFEL ARCHIV"')).toEqual([library.id]);
    expect(await unicode.filterIds('displayName sw "ä"')).toEqual([library.id]);
  });

  it('refuses a filter on an attribute libraries lack, and sorting by one', async () => {
    expectScimError(await scim.list(`filter=${encodeURIComponent('userName eq "alpha"')}`), 400, 'invalidFilter');
    expectScimError(await scim.list('sortBy=nosuchattribute'), 400, 'invalidValue');
  });

  it('sorts by displayName case-insensitively, ascending and descending', async () => {
    expect(await listNames('sortBy=displayName')).toEqual(BY_NAME);
    expect(await listNames('sortBy=displayName&sortOrder=descending')).toEqual([...BY_NAME].reverse());
  });

  it('pages by startIndex and count with totals', async () => {
    const second = await scim.list('sortBy=displayName&startIndex=2&count=2');
    expectStatus(second, 200);
    expect(second.body).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(names(second.body.Resources)).toEqual(['Bravo', 'charlie']);
    const last = await scim.list('sortBy=displayName&startIndex=5&count=2');
    expect(last.body).toMatchObject({ totalResults: 5, itemsPerPage: 1, startIndex: 5 });
    expect(names(last.body.Resources)).toEqual(['echo']);
    expect((await scim.list('count=0')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const byId = [...(await scim.listedIds('startIndex=1&count=3')), ...(await scim.listedIds('startIndex=4&count=3'))];
    expect(byId).toHaveLength(5);
    expect(new Set(byId).size).toBe(5);
  });

  it('walks RFC 9865 cursor pages forwards and back', async () => {
    const pages: string[][] = [];
    const nextCursors: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const response = await scim.list(`sortBy=displayName&count=2&cursor=${cursor}`);
      expectStatus(response, 200);
      expect(response.body.totalResults).toBe(5);
      expect(response.body.startIndex).toBeUndefined();
      if (page === 0) expect(response.body.previousCursor).toBeUndefined();
      pages.push(names(response.body.Resources));
      if (response.body.nextCursor === undefined) break;
      nextCursors.push(response.body.nextCursor);
      cursor = response.body.nextCursor;
    }
    expect(pages).toEqual([['alpha', 'Bravo'], ['charlie', 'Delta'], ['echo']]);
    const last = await scim.list(`sortBy=displayName&count=2&cursor=${nextCursors[1]}`);
    const back = await scim.list(`sortBy=displayName&count=2&cursor=${last.body.previousCursor}`);
    expect(names(back.body.Resources)).toEqual(['charlie', 'Delta']);
  });

  it('visits every library once in a cursor walk without sortBy', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const response = await scim.list(`count=2&cursor=${cursor}`);
      expectStatus(response, 200);
      seen.push(...names(response.body.Resources));
      if (response.body.nextCursor === undefined) break;
      cursor = response.body.nextCursor;
    }
    expect(seen.sort()).toEqual([...BY_NAME].sort());
  });

  it('refuses a forged cursor, a cursor of another sort, and a cursor with startIndex', async () => {
    expectScimError(await scim.list('count=1&cursor=bm90LWEtY3Vyc29y'), 400, 'invalidCursor');
    const first = await scim.list('count=1&cursor=');
    expect(first.body.nextCursor).toBeDefined();
    expectScimError(await scim.list(`count=1&sortBy=displayName&cursor=${first.body.nextCursor}`), 400, 'invalidCursor');
    expectScimError(await scim.list('startIndex=1&cursor='), 400, 'invalidValue');
  });

  it('projects list answers with attributes and excludedAttributes', async () => {
    const only = await scim.list(`filter=${encodeURIComponent('displayName eq "alpha"')}&attributes=displayName`);
    expectStatus(only, 200);
    expect(only.body.Resources).toHaveLength(1);
    expect(only.body.Resources[0]).toMatchObject({ id: seeded.alpha.id, schemas: [LIBRARY_SCHEMA], displayName: 'alpha' });
    expect(only.body.Resources[0]).not.toHaveProperty('description');
    expect(only.body.Resources[0]).not.toHaveProperty('externalId');
    const without = await scim.list(`filter=${encodeURIComponent('displayName eq "alpha"')}&excludedAttributes=description,externalId`);
    expect(without.body.Resources[0]).toMatchObject({ id: seeded.alpha.id, displayName: 'alpha' });
    expect(without.body.Resources[0]).not.toHaveProperty('description');
    expect(without.body.Resources[0]).not.toHaveProperty('externalId');
  });

  it('answers POST /Libraries/.search like GET, index and cursor pages alike', async () => {
    const response = await scim.search({ filter: 'externalId pr', sortBy: 'displayName', sortOrder: 'descending', attributes: ['displayName'], startIndex: 1, count: 3 });
    expectStatus(response, 200);
    expect(response.body).toMatchObject({ totalResults: 4, itemsPerPage: 3, startIndex: 1 });
    expect(names(response.body.Resources)).toEqual(['echo', 'Delta', 'Bravo']);
    expect(response.body.Resources.every((library) => !('externalId' in library))).toBe(true);
    const first = await scim.search({ sortBy: 'displayName', count: 3, cursor: '' });
    expect(names(first.body.Resources)).toEqual(['alpha', 'Bravo', 'charlie']);
    const next = await scim.search({ sortBy: 'displayName', count: 3, cursor: first.body.nextCursor });
    expect(names(next.body.Resources)).toEqual(['Delta', 'echo']);
    expect(next.body.nextCursor).toBeUndefined();
  });

  it('answers the root /.search with libraries after users and groups', async () => {
    const users = usersApi(roster, connectionToken);
    const groups = groupsApi(roster, connectionToken);
    const user = await users.create({ userName: 'alpha-user@example.com', displayName: 'alpha' });
    expectStatus(user, 201);
    const group = await groups.create({ displayName: 'ALPHA' });
    expectStatus(group, 201);
    const root = await scim.rootSearch({ filter: 'displayName eq "alpha"' });
    expectStatus(root, 200);
    expect(root.body.totalResults).toBe(3);
    expect(root.body.Resources.map((resource) => [(resource.meta as { resourceType: string }).resourceType, resource.id])).toEqual([
      ['User', user.body.id],
      ['Group', group.body.id],
      ['Library', seeded.alpha.id],
    ]);
    expect(root.body.Resources[2]).toEqual(seeded.alpha);
    const third = await scim.rootSearch({ filter: 'displayName eq "alpha"', startIndex: 3, count: 1 });
    expectStatus(third, 200);
    expect(third.body.Resources.map((resource) => resource.id)).toEqual([seeded.alpha.id]);
  });

  it('leaves users and groups out of the root /.search when the filter names an attribute only libraries have', async () => {
    const root = await scim.rootSearch({ filter: 'description pr' });
    expectStatus(root, 200);
    expect(root.body.totalResults).toBe(3);
    expect(root.body.Resources.every((resource) => (resource.meta as { resourceType: string }).resourceType === 'Library')).toBe(true);
    expect(names(root.body.Resources as ScimLibrary[]).sort()).toEqual(['alpha', 'Bravo', 'charlie'].sort());
  });
});
