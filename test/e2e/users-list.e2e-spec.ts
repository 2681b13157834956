import { captureStatements } from '../support/captured-sql.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { ENTERPRISE, type ScimErrorResponse, type ScimUser, usersApi, type UsersApi } from '../support/scim-users.js';

interface ListResponse {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: ScimUser[];
}

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe.each(databaseKinds())('Users: list, filter, sort, pages and search on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let otherTenant: UsersApi;
  const ids: Record<string, string> = {};

  const list = (query: string) => roster.http.get<ListResponse>(`/scim/v2/Users?${query}`, { token: users.token });
  const filtered = async (filter: string): Promise<string[]> => {
    const response = await list(`filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(200);
    return response.body.Resources.map((u) => u.userName as string).sort();
  };
  const search = (body: Record<string, unknown>, path = '/scim/v2/Users/.search') =>
    roster.http.post<ListResponse>(path, { token: users.token, body: { schemas: [SEARCH], ...body } });

  beforeAll(async () => {
    roster = await startRoster(kind);
    users = usersApi(roster, await requestAccessToken(roster.http, await createTenantWithConnection(roster.http)));
    otherTenant = usersApi(roster, await requestAccessToken(roster.http, await createTenantWithConnection(roster.http)));
    const seed: Record<string, unknown>[] = [
      {
        userName: 'Alice@Example.com',
        externalId: 'ext-A',
        displayName: 'Alice Liddell',
        name: { givenName: 'Alice', familyName: 'Liddell' },
        emails: [
          { value: 'alice.home@example.org', type: 'home' },
          { value: 'alice@example.com', type: 'work', primary: true },
        ],
        title: 'Engineer',
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        [ENTERPRISE]: { employeeNumber: '100', department: 'R&D' },
      },
      {
        userName: 'bob@example.com',
        externalId: 'ext-b',
        displayName: 'bob builder',
        active: false,
        emails: [{ value: 'bob@work.example.com', type: 'work' }, { value: 'bob@example.com', type: 'home' }],
      },
      { userName: 'carol@example.com', displayName: 'Çarol 50%_off', title: 'engineer', emails: [{ value: 'carol@example.com' }] },
      { userName: 'dave@example.net', externalId: 'ext-D', nickName: 'O\'Reilly "D" \\ dave' },
      { userName: 'ÉMILE@example.com', displayName: 'Émile' },
    ];
    for (const body of seed) {
      const created = await users.create(body);
      expect(created.status).toBe(201);
      ids[(body.userName as string).toLowerCase()] = created.body.id;
    }
    expect((await otherTenant.create({ userName: 'alice@example.com', externalId: 'ext-A' })).status).toBe(201);
    const deleted = await users.create({ userName: 'gone@example.com', externalId: 'ext-A' });
    expect((await users.delete(deleted.body.id)).status).toBe(204);
  });
  afterAll(() => roster.close());

  it('lists every live user of the tenant with index paging metadata', async () => {
    const response = await list('');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(response.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 5,
      itemsPerPage: 5,
      startIndex: 1,
    });
    expect(response.body.Resources.map((u) => u.id).sort()).toEqual(Object.values(ids).sort());
    expect(response.body.Resources.every((u) => u.meta.location.endsWith(`/Users/${u.id}`))).toBe(true);
  });

  it.each([
    ['userName eq "alice@example.com"', ['Alice@Example.com']],
    ['USERNAME EQ "ALICE@EXAMPLE.COM"', ['Alice@Example.com']],
    ['userName eq "émile@EXAMPLE.com"', ['ÉMILE@example.com']],
    ['externalId eq "ext-A"', ['Alice@Example.com']],
    ['externalId eq "ext-a"', []],
    ['emails[type eq "work"].value eq "alice@example.com"', ['Alice@Example.com']],
    ['emails[type eq "work"].value eq "bob@example.com"', []],
    ['emails[type eq "home" and value eq "bob@example.com"]', ['bob@example.com']],
    ['emails.value eq "bob@example.com"', ['bob@example.com']],
    ['emails eq "carol@example.com"', ['carol@example.com']],
    ['emails[not (type pr)]', ['carol@example.com']],
    ['emails.type eq "work" and emails.value eq "bob@example.com"', ['bob@example.com']],
    ['displayName co "50%_"', ['carol@example.com']],
    ['displayName co "%"', ['carol@example.com']],
    ['displayName sw "ALICE"', ['Alice@Example.com']],
    ['displayName ew "BUILDER"', ['bob@example.com']],
    ['userName sw "a" or userName sw "b"', ['Alice@Example.com', 'bob@example.com']],
    ['title eq "ENGINEER"', ['Alice@Example.com', 'carol@example.com']],
    ['title ne "engineer"', ['ÉMILE@example.com', 'bob@example.com', 'dave@example.net']],
    ['not (title pr)', ['ÉMILE@example.com', 'bob@example.com', 'dave@example.net']],
    ['active eq false', ['bob@example.com']],
    ['active eq true', []],
    ['nickName eq "O\'Reilly \\"D\\" \\\\ dave"', ['dave@example.net']],
    ['name.givenName pr', ['Alice@Example.com']],
    ['name pr and not (name.familyName eq "x")', ['Alice@Example.com']],
    [`${ENTERPRISE}:employeeNumber eq "100"`, ['Alice@Example.com']],
    [`${ENTERPRISE}:department eq "r&d"`, ['Alice@Example.com']],
    ['meta.resourceType eq "User" and userName ew ".net"', ['dave@example.net']],
    ['meta.created gt "2000-01-01T00:00:00Z" and externalId eq "ext-D"', ['dave@example.net']],
    ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
    ['userName gt "c" and userName lt "e"', ['carol@example.com', 'dave@example.net']],
    ['displayName eq null', ['dave@example.net']],
    ['(userName eq "x" or displayName sw "bob") and not (active eq true)', ['bob@example.com']],
  ])('filter %s', async (filter, expected) => {
    expect(await filtered(filter)).toEqual([...expected].sort());
  });

  it('finds a user by id and never one of another tenant or a deleted one', async () => {
    expect(await filtered(`id eq "${ids['alice@example.com']}"`)).toEqual(['Alice@Example.com']);
    const other = await otherTenant.create({ userName: 'zed@example.com' });
    expect(await filtered(`id eq "${other.body.id}"`)).toEqual([]);
    expect(await filtered('userName eq "gone@example.com"')).toEqual([]);
  });

  it('decodes + as a space in the query string', async () => {
    const response = await list('filter=userName+eq+%22bob%40example.com%22');
    expect(response.body.Resources.map((u) => u.userName)).toEqual(['bob@example.com']);
  });

  it.each([
    ['userName xx "a"'],
    ['userName eq'],
    ['password eq "x"'],
    ['unknownAttr eq "x"'],
    ['active gt true'],
    ['meta.version eq "W/\\"1\\""'],
    ['userName eq "a") OR 1=1 --'],
    ["userName eq 'a' OR '1'='1'"],
    ['emails[type eq "work"'],
    ['('.repeat(200) + 'userName pr' + ')'.repeat(200)],
    [''],
  ])('refuses the filter %s with 400 invalidFilter', async (filter) => {
    const response = await roster.http.get<ScimErrorResponse>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}`, { token: users.token });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidFilter');
  });

  it.each([
    ['a 100 KB filter', `userName eq "${'x'.repeat(100_000)}"`],
    ['10,000 nested nots', 'not ('.repeat(10_000) + 'userName pr' + ')'.repeat(10_000)],
  ])('refuses %s sent to .search with 400 invalidFilter', async (_label, filter) => {
    const response = await roster.http.post<ScimErrorResponse>('/scim/v2/Users/.search', {
      token: users.token,
      body: { schemas: [SEARCH], filter },
    });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidFilter');
  });

  it('treats SQL in a literal as data', async () => {
    expect(await filtered('userName eq "x\\" OR 1=1 --"')).toEqual([]);
    expect(await filtered("displayName co \"'; DROP TABLE users; --\"")).toEqual([]);
    expect((await list('')).body.totalResults).toBe(5);
  });

  it('pages by startIndex and count, with totals and a stable order', async () => {
    const all = (await list('count=100')).body.Resources.map((u) => u.id);
    const first = await list('startIndex=1&count=2');
    const second = await list('startIndex=3&count=2');
    const third = await list('startIndex=5&count=2');
    expect(first.body).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 1 });
    expect(third.body).toMatchObject({ totalResults: 5, itemsPerPage: 1, startIndex: 5 });
    expect([...first.body.Resources, ...second.body.Resources, ...third.body.Resources].map((u) => u.id)).toEqual(all);
    expect((await list('startIndex=0&count=1')).body.startIndex).toBe(1);
    expect((await list('startIndex=-5&count=1')).body.Resources[0].id).toBe(all[0]);
    expect((await list('startIndex=99')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('sends the same statement texts for every startIndex, so an import paging through the tenant reuses its prepared statements', async () => {
    const textsOf = async (query: string): Promise<string[]> => {
      const statements = await captureStatements(roster, async () => expect((await list(query)).status).toBe(200));
      // The page's own statement (other statements, the webhook poller's among them, may fall in the window).
      return statements.map((statement) => statement.sql).filter((sql) => sql.includes('FROM users') && sql.includes('OFFSET'));
    };
    for (const filter of ['', `&filter=${encodeURIComponent('userName pr')}`, `&sortBy=userName`]) {
      // Pages in the first half walk forward, pages past it from the end: one text per direction.
      const first = await textsOf(`startIndex=1&count=2${filter}`);
      expect(first.length).toBeGreaterThan(0);
      expect({ filter, texts: await textsOf(`startIndex=2&count=2${filter}`) }).toEqual({ filter, texts: first });
      const last = await textsOf(`startIndex=4&count=2${filter}`);
      expect(last.length).toBeGreaterThan(0);
      expect({ filter, texts: await textsOf(`startIndex=5&count=2${filter}`) }).toEqual({ filter, texts: last });
    }
  });

  it('answers pages past the middle, read from the end, exactly as a forward walk would: every start, sorted both ways and filtered', async () => {
    for (const query of ['', '&sortBy=userName', '&sortBy=userName&sortOrder=descending', '&sortBy=displayName', `&filter=${encodeURIComponent('userName pr')}`]) {
      const all = (await list(`count=100${query}`)).body.Resources.map((u) => u.id);
      expect(all).toHaveLength(5);
      for (let start = 1; start <= 6; start++) {
        for (const count of [1, 2, 3, 5]) {
          const page = await list(`startIndex=${start}&count=${count}${query}`);
          const expected = all.slice(start - 1, start - 1 + count);
          expect({ query, start, count, ids: page.body.Resources.map((u) => u.id) }).toEqual({ query, start, count, ids: expected });
          expect(page.body).toMatchObject({ totalResults: 5, itemsPerPage: expected.length, startIndex: start });
        }
      }
    }
  });

  it('answers count=0 and negative counts with totals only, and caps large counts', async () => {
    expect((await list('count=0')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect((await list('count=-3')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    expect((await list('count=1000000')).body.itemsPerPage).toBe(5);
  });

  it('reads numbers past any range as RFC 7644 §3.4.2.4 says: count capped at the maximum, startIndex < 1 as 1', async () => {
    const all = (await list('count=100')).body.Resources.map((u) => u.id);
    const huge = await list('count=99999999999999999999&startIndex=-99999999999999999999');
    expect(huge.status).toBe(200);
    expect(huge.body).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    expect(huge.body.Resources.map((u) => u.id)).toEqual(all);
    expect((await list('count=-99999999999999999999')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    // Past the end of any list: the empty page, on both engines' OFFSET.
    const beyond = await list(`startIndex=99999999999999999999&count=${'9'.repeat(400)}`);
    expect(beyond.status).toBe(200);
    expect(beyond.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, startIndex: Number.MAX_SAFE_INTEGER, Resources: [] });
    const searched = await search({ count: 1e20, startIndex: -1e20 });
    expect(searched.status).toBe(200);
    expect(searched.body).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    const rooted = await search({ startIndex: 1e20 }, '/scim/v2/.search');
    expect(rooted.status).toBe(200);
    expect(rooted.body).toMatchObject({ itemsPerPage: 0, Resources: [] });
  });

  it.each(['count=abc', 'count=1e3', 'startIndex=0x10', 'startIndex=1.5', 'sortOrder=sideways&sortBy=userName', 'sortBy=password', 'sortBy=nope', 'startIndex=1&cursor='])(
    'refuses %s with 400 invalidValue',
    async (query) => {
      const response = await roster.http.get<ScimErrorResponse>(`/scim/v2/Users?${query}`, { token: users.token });
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidValue');
    },
  );

  it('sorts case-insensitively, missing values last ascending and first descending, ties by id', async () => {
    const names = async (query: string) => (await list(query)).body.Resources.map((u) => u.userName);
    expect(await names('sortBy=userName')).toEqual(['Alice@Example.com', 'bob@example.com', 'carol@example.com', 'dave@example.net', 'ÉMILE@example.com']);
    expect(await names('sortBy=userName&sortOrder=descending')).toEqual([
      'ÉMILE@example.com',
      'dave@example.net',
      'carol@example.com',
      'bob@example.com',
      'Alice@Example.com',
    ]);
    const byDisplay = await names('sortBy=displayName');
    expect(byDisplay.slice(0, 4)).toEqual(['Alice@Example.com', 'bob@example.com', 'carol@example.com', 'ÉMILE@example.com']);
    expect(byDisplay[4]).toBe('dave@example.net');
    expect((await names('sortBy=displayName&sortOrder=descending'))[0]).toBe('dave@example.net');
    // Multi-valued: the primary (else first) email; Alice's primary is alice@…, not alice.home@….
    expect((await names('sortBy=emails&filter=userName%20sw%20%22a%22%20or%20userName%20sw%20%22b%22'))).toEqual([
      'Alice@Example.com',
      'bob@example.com',
    ]);
    expect(await names('sortBy=meta.created&count=1')).toHaveLength(1);
  });

  it('walks cursor pages forwards and backwards (RFC 9865)', async () => {
    const all = (await list('sortBy=userName')).body.Resources.map((u) => u.id);
    const seen: string[] = [];
    let cursor = '';
    const cursors: string[] = [];
    for (let pages = 0; pages < 10; pages++) {
      const response = await list(`sortBy=userName&count=2&cursor=${cursor}`);
      expect(response.status).toBe(200);
      expect(response.body.startIndex).toBeUndefined();
      expect(response.body.totalResults).toBe(5);
      if (pages === 0) expect(response.body.previousCursor).toBeUndefined();
      seen.push(...response.body.Resources.map((u) => u.id));
      if (response.body.nextCursor === undefined) break;
      expect(response.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      cursors.push(response.body.nextCursor);
      cursor = response.body.nextCursor;
    }
    expect(seen).toEqual(all);
    const last = await list(`sortBy=userName&count=2&cursor=${cursors[1]}`);
    const back = await list(`sortBy=userName&count=2&cursor=${last.body.previousCursor}`);
    expect(back.body.Resources.map((u) => u.id)).toEqual(all.slice(2, 4));
  });

  it.each([['by id', ''], ['by userName', '&sortBy=userName'], ['by displayName descending', '&sortBy=displayName&sortOrder=descending']])(
    'visits every user exactly once in a cursor walk %s while users are added',
    async (_label, sort) => {
      const before = (await list(`count=1000${sort}`)).body.Resources.map((u) => u.id);
      const seen: string[] = [];
      const added: string[] = [];
      let cursor = '';
      for (let page = 0; page < 50; page++) {
        const response = await list(`count=2${sort}&cursor=${cursor}`);
        expect(response.status).toBe(200);
        seen.push(...response.body.Resources.map((u) => u.id));
        // Users keep arriving while the walk is under way: before, inside and after the current page.
        const created = await users.create({ userName: `walker-${_label.length}-${page}-${Date.now()}@example.com`, displayName: `W${page}` });
        expect(created.status).toBe(201);
        added.push(created.body.id);
        if (response.body.nextCursor === undefined) break;
        cursor = response.body.nextCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => before.includes(id))).toEqual(before);
      expect(seen.every((id) => before.includes(id) || added.includes(id))).toBe(true);
      for (const id of added) expect((await users.delete(id)).status).toBe(204);
    },
  );

  it('refuses a cursor that was tampered with or belongs to another query', async () => {
    const first = await list('count=1&cursor');
    expect(first.body.nextCursor).toBeDefined();
    const forged = await roster.http.get<ScimErrorResponse>('/scim/v2/Users?count=1&cursor=bm90LWEtY3Vyc29y', { token: users.token });
    expect(forged.status).toBe(400);
    expect(forged.body.scimType).toBe('invalidCursor');
    const other = await roster.http.get<ScimErrorResponse>(`/scim/v2/Users?count=1&sortBy=userName&cursor=${first.body.nextCursor}`, { token: users.token });
    expect(other.body.scimType).toBe('invalidCursor');
  });

  it('projects list answers: attributes, excludedAttributes, always-returned kept', async () => {
    const response = await list('filter=userName%20eq%20%22alice@example.com%22&attributes=userName,emails.value');
    expect(response.body.Resources[0]).toEqual({
      schemas: expect.any(Array),
      id: ids['alice@example.com'],
      userName: 'Alice@Example.com',
      emails: [{ value: 'alice.home@example.org' }, { value: 'alice@example.com' }],
      meta: expect.any(Object),
    });
    const excluded = await list('filter=userName%20eq%20%22alice@example.com%22&excludedAttributes=emails,name');
    expect(excluded.body.Resources[0]).not.toHaveProperty('emails');
    expect(excluded.body.Resources[0]).not.toHaveProperty('name');
    expect(excluded.body.Resources[0]).toHaveProperty('displayName', 'Alice Liddell');
  });

  it('answers POST /Users/.search like GET, with projection from arrays', async () => {
    const response = await search({
      filter: 'emails[type eq "work"].value eq "alice@example.com"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    });
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(1);
    expect(Object.keys(response.body.Resources[0]).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    const cursorPage = await search({ sortBy: 'userName', count: 3, cursor: '' });
    expect(cursorPage.body.Resources).toHaveLength(3);
    const next = await search({ sortBy: 'userName', count: 3, cursor: cursorPage.body.nextCursor });
    expect(next.body.Resources).toHaveLength(2);
    expect(next.body.nextCursor).toBeUndefined();
  });

  it('answers the root /.search across resource types', async () => {
    const response = await search({ filter: 'userName sw "a"', attributes: ['userName'] }, '/scim/v2/.search');
    expect(response.status).toBe(200);
    expect(response.body.Resources.map((u) => u.userName)).toEqual(['Alice@Example.com']);
    const bad = await roster.http.post<ScimErrorResponse>('/scim/v2/.search', { token: users.token, body: { schemas: [SEARCH], filter: 'nope eq 1' } });
    expect(bad.body.scimType).toBe('invalidFilter');
  });

  it('refuses a search body without the SearchRequest schema', async () => {
    const response = await roster.http.post<ScimErrorResponse>('/scim/v2/Users/.search', { token: users.token, body: { filter: 'userName pr' } });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidSyntax');
  });

  it('keeps the filter index in step with writes', async () => {
    const id = ids['carol@example.com'];
    expect((await users.patch(id, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Pilot' }] })).status).toBe(200);
    expect(await filtered('title eq "pilot"')).toEqual(['carol@example.com']);
    expect(await filtered('title eq "engineer"')).toEqual(['Alice@Example.com']);
    const current = await users.get(id);
    const { title: _title, ...rest } = current.body;
    expect((await users.put(id, { ...rest, nickName: 'CC' })).status).toBe(200);
    expect(await filtered('title pr and userName sw "c"')).toEqual([]);
    expect(await filtered('nickName eq "cc"')).toEqual(['carol@example.com']);
  });
});
