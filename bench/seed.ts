import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { DatabaseOptions } from '../src/config/roster-options.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { RoleEntity, TenantEntity, UserEntity } from '../src/database/entities/index.js';
import { insertIndexedValues } from '../src/database/query/indexed-values-store.js';
import { recountLive } from '../src/database/query/resource-counts.js';
import { systemRolesOf } from '../src/modules/roles/system-roles.js';
import { asTenantId } from '../src/domain/tenant-id.js';
import { DEFAULT_TENANT_SETTINGS } from '../src/domain/tenant-settings.js';
import { GROUPS } from '../src/modules/groups/group.definition.js';
import { LIBRARIES } from '../src/modules/libraries/library.definition.js';
import { USERS } from '../src/modules/users/user.definition.js';
import { indexedValuesOf } from '../src/scim/query/indexed-values.js';
import { caseFold } from '../src/scim/case-fold.js';
import { seedGroups, type SeededGroups } from './seed-groups.js';
import { seedLibraries, type SeededLibraries } from './seed-libraries.js';

/** What the scenarios address a user by; each value belongs to exactly one seeded user. */
export interface SeededUser {
  readonly id: string;
  readonly userName: string;
  readonly externalId: string;
  readonly workEmail: string;
}

export interface SeedResult {
  readonly tenantId: string;
  readonly users: readonly SeededUser[];
  /** The tenant's user ids in the order GET /Users lists them without sortBy: by id, as the database collates it. */
  readonly listOrder: readonly string[];
  readonly groups: SeededGroups;
  readonly libraries: SeededLibraries;
  readonly migrateSeconds: number;
  /** Users, groups, their filter index rows and (PostgreSQL) VACUUM (ANALYZE). */
  readonly insertSeconds: number;
  /** The groups' share of `insertSeconds`: roles, groups, index rows and memberships. */
  readonly groupSeconds: number;
}

const ROWS_PER_INSERT = 500;
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/**
 * Migrates a fresh database and fills one tenant with `count` users in batched INSERTs (not
 * HTTP). Each batch carries its users' filter index rows, built by the functions the service
 * writes them with, in the same transaction. Issue 6's groups follow (seed-groups.ts).
 */
export async function seedTenant(database: DatabaseOptions, count: number, { withStatistics }: { withStatistics: boolean }): Promise<SeedResult> {
  const dataSource = new DataSource(buildDataSourceOptions(database));
  await dataSource.initialize();
  try {
    const started = performance.now();
    await dataSource.runMigrations();
    // A tenant fresh from its first sync: autovacuum has not analysed the tables yet (nor may it while the bench runs).
    const fresh = database.kind === 'postgres' && !withStatistics;
    if (fresh) await dataSource.query('ALTER TABLE users SET (autovacuum_enabled = false); ALTER TABLE user_values SET (autovacuum_enabled = false)');
    const migrated = performance.now();
    const tenantId = randomUUID();
    const users: SeededUser[] = [];
    await dataSource.transaction(async (manager) => {
      await insertTenant(manager, tenantId);
      // An index build records the table's size in the catalog, which a first sync's inserts never do.
      const load = (work: () => Promise<void>): Promise<void> => (fresh ? work() : withIndexesBuiltAfter(manager, database.kind, USERS.table.valuesTable, work));
      await load(async () => {
        for (let first = 0; first < count; first += ROWS_PER_INSERT) {
          const batch = Array.from({ length: Math.min(ROWS_PER_INSERT, count - first) }, (_, i) => newUser(tenantId, first + i));
          // As in UsersRepository: TypeORM's deep-partial type cannot see through the simple-json `data`.
          const rows = batch.map(({ entity }) => entity) as QueryDeepPartialEntity<UserEntity>[];
          await manager.createQueryBuilder().insert().into(UserEntity).values(rows).updateEntity(false).execute();
          const indexed = batch.map(({ entity }) => ({ resourceId: entity.id, rows: indexedValuesOf({ ...entity.data, id: entity.id }, USERS.type.context) }));
          await insertIndexedValues(manager, USERS.table.valuesTable, asTenantId(tenantId), indexed);
          for (const { seeded } of batch) users.push(seeded);
        }
      });
    });
    const groupsStarted = performance.now();
    const groups = await dataSource.transaction((manager) =>
      withIndexesBuiltAfter(manager, database.kind, 'group_members', () => seedGroups(manager, tenantId, count)),
    );
    const libraries = await dataSource.transaction((manager) => seedLibraries(manager, tenantId, count));
    // The rows above bypassed the write path, which keeps the counts unfiltered lists answer with.
    await dataSource.transaction((manager) => recountLive(manager, [USERS.table, GROUPS.table, LIBRARIES.table], asTenantId(tenantId)));
    const groupSeconds = (performance.now() - groupsStarted) / 1000;
    // A live PostgreSQL analyzes a bulk-loaded table on its own within a minute (autovacuum); without
    // statistics the planner misjudges the tenant (it once took an index on deleted_at over the
    // primary key and scanned the whole tenant, see the users-and-roles migration).
    // Autovacuum also vacuums it (autovacuum_vacuum_insert_threshold, PostgreSQL 13+), which sets the
    // visibility map: without that, COUNT(*) and OFFSET over ix_users_live lose their index-only
    // scans, and the planner sorts the whole tenant on disk for a deep index page (110 ms instead of
    // 13 ms at 100,000 users). VACUUM cannot run in a transaction, so this is its own statement.
    // SQLite never analyzes by itself, so it is measured as the service would find it.
    if (database.kind === 'postgres' && !fresh) await dataSource.query('VACUUM (ANALYZE)');
    const inserted = performance.now();
    const listOrder = await idsInListOrder(dataSource, tenantId);
    return { tenantId, users, listOrder, groups, libraries, migrateSeconds: (migrated - started) / 1000, insertSeconds: (inserted - migrated) / 1000, groupSeconds };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Drops a table's secondary indexes, runs `load`, and recreates them from the definitions the
 * migrations left in the catalog, all in the caller's transaction, so the service finds exactly
 * the migrated schema. The filter index gets about 13 rows a user; keeping its two B-trees in
 * order through 1.35 million inserts in random key order cost more than the inserts (its share of
 * seeding 100,000 users: SQLite 56 s → 27 s, PostgreSQL 73 s → 55 s, index builds included).
 */
async function withIndexesBuiltAfter<T>(manager: EntityManager, kind: DatabaseOptions['kind'], table: string, load: () => Promise<T>): Promise<T> {
  const indexes = (await manager.query(
    kind === 'postgres'
      ? `SELECT indexname AS name, indexdef AS ddl FROM pg_indexes i WHERE schemaname = current_schema() AND tablename = $1
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`
      : `SELECT name, sql AS ddl FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
    [table],
  )) as { name: string; ddl: string }[];
  for (const index of indexes) await manager.query(`DROP INDEX "${index.name}"`);
  const loaded = await load();
  for (const index of indexes) await manager.query(index.ddl);
  return loaded;
}

/** Read back rather than sorted here: PostgreSQL orders the id column by its collation, not by code point. */
async function idsInListOrder(dataSource: DataSource, tenantId: string): Promise<string[]> {
  const rows = (await dataSource
    .createQueryBuilder()
    .select('u.id', 'id')
    .from(UserEntity, 'u')
    .where('u.tenant_id = :tenantId AND u.deleted_at IS NULL', { tenantId })
    .orderBy('u.id')
    .getRawMany()) as { id: string }[];
  return rows.map((row) => row.id);
}

async function insertTenant(manager: EntityManager, id: string): Promise<void> {
  const now = new Date().toISOString();
  const tenant = Object.assign(new TenantEntity(), {
    id,
    slug: 'bench',
    name: 'Bench',
    settings: DEFAULT_TENANT_SETTINGS,
    createdAt: now,
    updatedAt: now,
  });
  await manager.insert(TenantEntity, tenant);
  await manager.insert(RoleEntity, systemRolesOf(asTenantId(id), now));
}

/** User n: a primary work email distinct from its userName, and a home one on every other user. */
function newUser(tenantId: string, n: number): { entity: UserEntity; seeded: SeededUser } {
  const id = randomUUID();
  const userName = `bench.user${n}@example.com`;
  const externalId = `ext-${n}`;
  const workEmail = `bench.user${n}@work.example.com`;
  const displayName = `Bench User ${n}`;
  const emails = [{ value: workEmail, type: 'work', primary: true }, ...(n % 2 === 0 ? [{ value: `bench.user${n}@home.example.org`, type: 'home' }] : [])];
  const now = new Date().toISOString();
  const entity = Object.assign(new UserEntity(), {
    id,
    tenantId,
    userName,
    userNameKey: caseFold(userName),
    externalId,
    displayName,
    active: true,
    data: {
      schemas: [CORE_USER],
      userName,
      externalId,
      displayName,
      name: { givenName: 'Bench', familyName: `User ${n}` },
      emails,
      active: true,
    },
    passwordHash: null,
    version: 1,
    createdAt: now,
    lastModified: now,
    deletedAt: null,
  });
  return { entity, seeded: { id, userName, externalId, workEmail } };
}
