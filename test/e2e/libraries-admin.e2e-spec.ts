import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { storedRows } from '../support/stored-rows.js';
import {
  expectScimError,
  expectStatus,
  librariesAdmin,
  type LibrariesAdmin,
  type LibraryView,
  pause,
  scimLibraries,
  type ScimLibraries,
} from '../support/scim-libraries.js';

describe.each(databaseKinds())('Libraries: the admin API on %s', (kind) => {
  let roster: RosterHarness;
  let admin: LibrariesAdmin;
  let scim: ScimLibraries;

  /** A fresh tenant of its own, for tests that compare a whole list. */
  const freshTenant = async (): Promise<{ admin: LibrariesAdmin; scim: ScimLibraries }> => {
    const connection = await createTenantWithConnection(roster.http);
    return { admin: librariesAdmin(roster, connection.tenantId), scim: scimLibraries(roster, await requestAccessToken(roster.http, connection)) };
  };
  const namesListed = async (tenant: LibrariesAdmin = admin): Promise<string[]> => {
    return (await tenant.listed()).map((library) => library.displayName);
  };

  /** Rows in the `libraries` table for the suite's tenant. */
  const libraryRows = async (): Promise<number> => (await storedRows(roster, admin.tenantId, ['libraries'])).libraries;

  beforeAll(async () => {
    roster = await startRoster(kind);
    ({ admin, scim } = await freshTenant());
  });
  afterAll(() => roster.close());

  describe('create and read', () => {
    it('creates a library: 201 with the view, description and externalId null when not sent', async () => {
      const response = await admin.create({ displayName: 'Handbooks' });
      expectStatus(response, 201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/\S/),
        displayName: 'Handbooks',
        description: null,
        externalId: null,
        createdAt: expect.any(String),
        lastModified: response.body.createdAt,
      });
      expect(Number.isNaN(Date.parse(response.body.createdAt))).toBe(false);
      const fetched = await admin.get(response.body.id);
      expectStatus(fetched, 200);
      expect(fetched.body).toEqual(response.body);
      expect(await namesListed()).toContain('Handbooks');
      const read = await scim.get(response.body.id);
      expectStatus(read, 200);
      expect(read.body.displayName).toBe('Handbooks');
      expect(Date.parse(read.body.meta.created)).toBe(Date.parse(response.body.createdAt));
    });

    it('stores description and externalId when sent, and serves them through SCIM', async () => {
      const created = await admin.add('Policies', { description: 'Company policies', externalId: 'ext-policies' });
      expect(created).toMatchObject({ displayName: 'Policies', description: 'Company policies', externalId: 'ext-policies' });
      expect((await admin.get(created.id)).body).toEqual(created);
      expect((await scim.get(created.id)).body).toMatchObject({ displayName: 'Policies', description: 'Company policies', externalId: 'ext-policies' });
    });

    it('lists the tenant\'s libraries sorted by displayName case-insensitively', async () => {
      const tenant = await freshTenant();
      for (const name of ['beta', 'Alpha', 'gamma', 'Delta', 'charlie']) await tenant.admin.add(name);
      const listed = await tenant.admin.list();
      expectStatus(listed, 200);
      expect(listed.body.map((library) => library.displayName)).toEqual(['Alpha', 'beta', 'charlie', 'Delta', 'gamma']);
      expect(listed.body.every((library) => Object.keys(library).sort().join() === 'createdAt,description,displayName,externalId,id,lastModified')).toBe(true);
    });

    it('lists nothing for a tenant without libraries', async () => {
      const tenant = await freshTenant();
      const listed = await tenant.admin.list();
      expectStatus(listed, 200);
      expect(listed.body).toEqual([]);
    });

    it('answers 404 with the SCIM error for an unknown library id whatever it looks like', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', "x' OR '1'='1"]) {
        expectScimError(await admin.get(id), 404);
        expectScimError(await admin.patch(id, { description: 'x' }), 404);
        expectScimError(await admin.delete(id), 404);
      }
    });

    it('requires the admin token', async () => {
      const noToken = await roster.http.get(`/admin/tenants/${admin.tenantId}/libraries`);
      expect(noToken.status).toBe(401);
      const wrong = await roster.http.post(`/admin/tenants/${admin.tenantId}/libraries`, { token: `${TEST_ADMIN_TOKEN}x`, body: { displayName: 'Sneaky' } });
      expect(wrong.status).toBe(401);
      expect(await namesListed()).not.toContain('Sneaky');
    });
  });

  describe('validation', () => {
    it.each([
      ['a missing displayName', {}],
      ['an empty displayName', { displayName: '' }],
      ['a blank displayName', { displayName: '   ' }],
      ['a displayName of 257 characters', { displayName: 'n'.repeat(257) }],
      ['a displayName that is not a string', { displayName: 42 }],
      ['a description of 1025 characters', { displayName: 'Too long description', description: 'd'.repeat(1025) }],
      ['an externalId of 1025 characters', { displayName: 'Too long externalId', externalId: 'e'.repeat(1025) }],
      ['an unknown field', { displayName: 'Coloured', colour: 'blue' }],
      ['an id of its own choosing', { displayName: 'Chosen id', id: '00000000-0000-4000-8000-000000000001' }],
    ])('refuses a create with %s: 400 invalidValue, nothing stored', async (_label, body) => {
      const before = await namesListed();
      const rowsBefore = await libraryRows();
      expectScimError(await admin.create(body), 400, 'invalidValue');
      expect(await namesListed()).toEqual(before);
      expect(await libraryRows()).toBe(rowsBefore);
    });

    it('accepts the longest allowed displayName, description and externalId', async () => {
      const longest = { displayName: 'L'.repeat(256), description: 'd'.repeat(1024), externalId: 'e'.repeat(1024) };
      const created = await admin.add(longest.displayName, { description: longest.description, externalId: longest.externalId });
      expect(created).toMatchObject(longest);
      expect((await scim.get(created.id)).body).toMatchObject(longest);
    });

    it.each([
      ['an unknown field', { shelf: 3 }],
      ['an empty displayName', { displayName: '' }],
      ['a blank displayName', { displayName: ' \t ' }],
      ['a null displayName', { displayName: null }],
      ['a displayName of 257 characters', { displayName: 'n'.repeat(257) }],
      ['a description of 1025 characters', { description: 'd'.repeat(1025) }],
      ['an externalId of 1025 characters', { externalId: 'e'.repeat(1025) }],
    ])('refuses a PATCH with %s: 400 invalidValue, the library unchanged', async (label, body) => {
      const library = await admin.add(`Unchanged by ${label}`, { description: 'kept', externalId: `kept-${label}` });
      expectScimError(await admin.patch(library.id, body), 400, 'invalidValue');
      expect((await admin.get(library.id)).body).toEqual(library);
    });
  });

  describe('uniqueness of displayName', () => {
    it('answers 409 uniqueness for a displayName that differs only by case, Unicode included', async () => {
      await admin.add('Ärzte Bibliothek');
      for (const clash of ['Ärzte Bibliothek', 'ärzte BIBLIOTHEK', 'ÄRZTE bibliothek']) {
        const response = await admin.create({ displayName: clash });
        expectScimError(response, 409, 'uniqueness');
        expect(response.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
      }
      expect((await namesListed()).filter((name) => name.toLowerCase() === 'ärzte bibliothek')).toEqual(['Ärzte Bibliothek']);
    });

    it('refuses renaming to a name another library holds, and keeps both as they were', async () => {
      const first = await admin.add('Rename Source');
      const second = await admin.add('Rename Target');
      expectScimError(await admin.patch(first.id, { displayName: 'RENAME target' }), 409, 'uniqueness');
      expect((await admin.get(first.id)).body).toEqual(first);
      expect((await admin.get(second.id)).body).toEqual(second);
    });

    it('lets a library change the case of its own name', async () => {
      const library = await admin.add('case of its own');
      const renamed = await admin.patch(library.id, { displayName: 'Case Of Its Own' });
      expectStatus(renamed, 200);
      expect(renamed.body.displayName).toBe('Case Of Its Own');
      expect((await scim.get(library.id)).body.displayName).toBe('Case Of Its Own');
    });

    it('allows the same displayName in another tenant', async () => {
      const mine = await admin.add('Shared Across Tenants');
      const other = await freshTenant();
      const theirs = await other.admin.add('shared across tenants');
      expect(theirs.id).not.toBe(mine.id);
      expect(await namesListed(other.admin)).toEqual(['shared across tenants']);
      expect((await admin.get(mine.id)).body.displayName).toBe('Shared Across Tenants');
    });

    it('frees a deleted library\'s name at once', async () => {
      const library = await admin.add('Reused Name');
      expectStatus(await admin.delete(library.id), 204);
      const again = await admin.add('REUSED name');
      expect(again.id).not.toBe(library.id);
    });

    it('stores exactly one library when twenty POSTs of one displayName race', async () => {
      const rowsBefore = await libraryRows();
      const responses = await Promise.all(Array.from({ length: 20 }, () => admin.create({ displayName: 'Raced Library' })));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array.from({ length: 19 }, () => 409)]);
      for (const refused of responses.filter((response) => response.status === 409)) expectScimError(refused, 409, 'uniqueness');
      const winner = responses.find((response) => response.status === 201)!.body;
      expect((await admin.listed()).filter((library) => library.displayName.toLowerCase() === 'raced library')).toEqual([winner]);
      expect(await scim.filterIds('displayName eq "raced library"')).toEqual([winner.id]);
      expect(await libraryRows()).toBe(rowsBefore + 1);
    });
  });

  describe('update and delete', () => {
    it('changes only the fields a PATCH sends, moving lastModified and keeping createdAt', async () => {
      const library = await admin.add('Patched', { description: 'first', externalId: 'ext-patched' });
      await pause(5);
      const response = await admin.patch(library.id, { description: 'second' });
      expectStatus(response, 200);
      expect(response.body).toEqual({ ...library, description: 'second', lastModified: expect.any(String) });
      expect(Date.parse(response.body.lastModified)).toBeGreaterThan(Date.parse(library.lastModified));
      expect((await admin.get(library.id)).body).toEqual(response.body);
      const read = await scim.get(library.id);
      expect(read.body).toMatchObject({ displayName: 'Patched', description: 'second', externalId: 'ext-patched' });
      expect(Date.parse(read.body.meta.lastModified)).toBe(Date.parse(response.body.lastModified));
    });

    it('renames a library, and the new name is what filters find', async () => {
      const library = await admin.add('Old Shelf');
      const renamed = await admin.patch(library.id, { displayName: 'New Shelf' });
      expectStatus(renamed, 200);
      expect(renamed.body).toMatchObject({ id: library.id, displayName: 'New Shelf' });
      expect(await scim.filterIds('displayName eq "new shelf"')).toEqual([library.id]);
      expect(await scim.filterIds('displayName eq "old shelf"')).toEqual([]);
      expect(await namesListed()).not.toContain('Old Shelf');
    });

    it('clears description and externalId with null', async () => {
      const library = await admin.add('Cleared', { description: 'to clear', externalId: 'ext-cleared' });
      const response = await admin.patch(library.id, { description: null, externalId: null });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({ displayName: 'Cleared', description: null, externalId: null });
      expect((await admin.get(library.id)).body).toMatchObject({ description: null, externalId: null });
      const read = await scim.get(library.id);
      expect(read.body).not.toHaveProperty('description');
      expect(read.body).not.toHaveProperty('externalId');
      expect(await scim.filterIds('externalId eq "ext-cleared"')).toEqual([]);
    });

    it('deletes a library: 204, then 404 for GET, PATCH and DELETE, and gone from the lists', async () => {
      const library = await admin.add('Doomed Library');
      const rowsBefore = await libraryRows();
      const deleted = await admin.delete(library.id);
      expectStatus(deleted, 204);
      expect(deleted.text).toBe('');
      expect(await libraryRows()).toBe(rowsBefore - 1);
      expectScimError(await admin.get(library.id), 404);
      expectScimError(await admin.patch(library.id, { description: 'x' }), 404);
      expectScimError(await admin.delete(library.id), 404);
      expect((await admin.listed()).map((entry: LibraryView) => entry.id)).not.toContain(library.id);
      expectScimError(await scim.get(library.id), 404);
      expect(await scim.filterIds(`id eq "${library.id}"`)).toEqual([]);
    });
  });
});
