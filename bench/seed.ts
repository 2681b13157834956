import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { DatabaseOptions } from '../src/config/roster-options.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { RoleEntity, TenantEntity, UserEntity } from '../src/database/entities/index.js';
import { systemRolesOf } from '../src/modules/roles/system-roles.js';
import { asTenantId } from '../src/modules/tenants/tenant-id.js';
import { DEFAULT_TENANT_SETTINGS } from '../src/modules/tenants/tenant-settings.js';
import { caseFold } from '../src/scim/case-fold.js';

export interface SeededUser {
  readonly id: string;
  readonly userName: string;
}

export interface SeedResult {
  readonly tenantId: string;
  readonly users: readonly SeededUser[];
  readonly migrateSeconds: number;
  readonly insertSeconds: number;
}

const ROWS_PER_INSERT = 500;
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Migrates a fresh database and fills one tenant with `count` users in batched INSERTs (not HTTP). */
export async function seedTenant(database: DatabaseOptions, count: number): Promise<SeedResult> {
  const dataSource = new DataSource(buildDataSourceOptions(database));
  await dataSource.initialize();
  try {
    const started = performance.now();
    await dataSource.runMigrations();
    const migrated = performance.now();
    const tenantId = randomUUID();
    const users: SeededUser[] = [];
    await dataSource.transaction(async (manager) => {
      await insertTenant(manager, tenantId);
      for (let first = 0; first < count; first += ROWS_PER_INSERT) {
        const batch = Array.from({ length: Math.min(ROWS_PER_INSERT, count - first) }, (_, i) => newUser(tenantId, first + i));
        // As in UsersRepository: TypeORM's deep-partial type cannot see through the simple-json `data`.
        const rows = batch as QueryDeepPartialEntity<UserEntity>[];
        await manager.createQueryBuilder().insert().into(UserEntity).values(rows).updateEntity(false).execute();
        for (const user of batch) users.push({ id: user.id, userName: user.userName });
      }
    });
    // A live PostgreSQL analyzes a bulk-loaded table on its own within a minute (autovacuum); without
    // statistics the planner picks ix_users_deleted over the primary key and scans the whole tenant.
    // SQLite never analyzes by itself, so it is measured as the service would find it.
    if (database.kind === 'postgres') await dataSource.query('ANALYZE');
    const inserted = performance.now();
    return { tenantId, users, migrateSeconds: (migrated - started) / 1000, insertSeconds: (inserted - migrated) / 1000 };
  } finally {
    await dataSource.destroy();
  }
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

function newUser(tenantId: string, n: number): UserEntity {
  const userName = `bench.user${n}@example.com`;
  const displayName = `Bench User ${n}`;
  const now = new Date().toISOString();
  return Object.assign(new UserEntity(), {
    id: randomUUID(),
    tenantId,
    userName,
    userNameKey: caseFold(userName),
    externalId: `ext-${n}`,
    displayName,
    active: true,
    data: {
      schemas: [CORE_USER],
      userName,
      externalId: `ext-${n}`,
      displayName,
      name: { givenName: 'Bench', familyName: `User ${n}` },
      emails: [{ value: userName, type: 'work', primary: true }],
      active: true,
    },
    passwordHash: null,
    version: 1,
    createdAt: now,
    lastModified: now,
    deletedAt: null,
  });
}
