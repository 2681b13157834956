import type { DataSource } from 'typeorm';
import { asTenantId } from '../../src/domain/tenant-id.js';
import { GROUPS } from '../../src/modules/groups/group.definition.js';
import { LIBRARIES } from '../../src/modules/libraries/library.definition.js';
import type { ResourceDefinition, StoredResource } from '../../src/modules/resources/resource-definition.js';
import { ResourceRowsRepository } from '../../src/modules/resources/resource-rows.repository.js';
import { USERS } from '../../src/modules/users/user.definition.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { rosterDataSource } from '../support/captured-sql.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { groupsApi } from '../support/scim-groups.js';
import { ACCESS_USER, expectStatus, librariesAdmin } from '../support/scim-libraries.js';
import { USER_SCHEMA, usersApi } from '../support/scim-users.js';

/**
 * The write path reads its row under lock and writes it back with hand-written SQL (EntityRows),
 * no longer through TypeORM's query builders: the entity it reads must be the one TypeORM reads,
 * and its compare-and-set must write exactly what TypeORM's update wrote, on both engines.
 */
describe.each(databaseKinds())('the write path rows on %s', (kind) => {
  let roster: RosterHarness;
  let dataSource: DataSource;
  let rows: ResourceRowsRepository;
  let tenant: string;
  let ids: { user: string; group: string; library: string };

  beforeAll(async () => {
    roster = await startRoster(kind);
    dataSource = rosterDataSource(roster);
    rows = roster.app.get(ResourceRowsRepository);
    const connection = await createTenantWithConnection(roster.http);
    tenant = connection.tenantId;
    const token = await requestAccessToken(roster.http, connection);
    const library = await librariesAdmin(roster, tenant).add('Handbook "2026"');
    const user = await usersApi(roster, token).create({
      schemas: [USER_SCHEMA, ACCESS_USER],
      userName: 'rows@example.com',
      externalId: 'ext-1',
      active: false,
      name: { givenName: 'Émile', familyName: 'Back\\slash' },
      emails: [{ value: 'rows@example.com', type: 'work', primary: true }],
      [ACCESS_USER]: { libraries: [library.id] },
    });
    expectStatus(user, 201);
    const group = await groupsApi(roster, token).create({ displayName: 'Row readers', members: [{ value: user.body.id }] });
    expectStatus(group, 201);
    ids = { user: user.body.id, group: group.body.id, library: library.id };
  });
  afterAll(() => roster.close());

  const cases: [string, ResourceDefinition<StoredResource>, () => string][] = [
    ['a user', USERS as unknown as ResourceDefinition<StoredResource>, () => ids.user],
    ['a group', GROUPS as unknown as ResourceDefinition<StoredResource>, () => ids.group],
    ['a library', LIBRARIES as unknown as ResourceDefinition<StoredResource>, () => ids.library],
  ];

  it.each(cases)('reads %s under lock as the entity TypeORM reads', async (_name, definition, id) => {
    await dataSource.transaction(async (manager) => {
      const ours = await rows.findForUpdate(definition, asTenantId(tenant), id(), manager);
      const theirs = await manager.getRepository(definition.entity).findOneBy({ id: id() });
      expect(ours).not.toBeNull();
      expect(ours).toEqual(theirs);
      expect(Object.getPrototypeOf(ours)).toBe(Object.getPrototypeOf(theirs));
    });
  });

  it('writes only at the expected version, the columns given, in the forms TypeORM stores', async () => {
    const id = asTenantId(tenant);
    await dataSource.transaction(async (manager) => {
      const current = await rows.findForUpdate(USERS, id, ids.user, manager);
      if (current === null) throw new Error('the user is gone');
      // A stale version changes nothing.
      expect(await rows.updateIfVersion(USERS, id, ids.user, current.version - 1, { displayName: 'stale' }, manager)).toBe(false);
      const data = { ...current.data, displayName: 'Fresh "name"' };
      const written = await rows.updateIfVersion(USERS, id, ids.user, current.version, { displayName: 'Fresh "name"', active: true, data, externalId: undefined }, manager);
      expect(written).toBe(true);
      const stored = await manager.getRepository(USERS.entity).findOneByOrFail({ id: ids.user });
      expect(stored).toEqual({ ...current, displayName: 'Fresh "name"', active: true, data, version: current.version + 1 });
    });
  });

  it('finds no row of another tenant, nor a soft-deleted one', async () => {
    const other = await createTenantWithConnection(roster.http);
    await dataSource.transaction(async (manager) => {
      expect(await rows.findForUpdate(USERS, asTenantId(other.tenantId), ids.user, manager)).toBeNull();
      expect(await rows.updateIfVersion(USERS, asTenantId(other.tenantId), ids.user, 1, { displayName: 'elsewhere' }, manager)).toBe(false);
    });
    const soft = await dataSource.transaction(async (manager) => {
      const current = await rows.findForUpdate(USERS, asTenantId(tenant), ids.user, manager);
      if (current === null) throw new Error('the user is gone');
      await manager.getRepository(USERS.entity).update({ id: ids.user }, { deletedAt: current.lastModified });
      return {
        found: await rows.findForUpdate(USERS, asTenantId(tenant), ids.user, manager),
        updated: await rows.updateIfVersion(USERS, asTenantId(tenant), ids.user, current.version, { displayName: 'ghost' }, manager),
      };
    });
    expect(soft).toEqual({ found: null, updated: false });
  });
});
