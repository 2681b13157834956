import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { LibraryEntity } from '../src/database/entities/library.entity.js';
import { insertIndexedValues } from '../src/database/query/indexed-values-store.js';
import { runSql } from '../src/database/run-sql.js';
import { asTenantId } from '../src/domain/tenant-id.js';
import { LIBRARIES } from '../src/modules/libraries/library.definition.js';
import { caseFold } from '../src/scim/case-fold.js';
import { indexedValuesOf } from '../src/scim/query/indexed-values.js';
import { LIBRARY_SCHEMA } from '../src/scim/schemas/index.js';

export interface SeededLibrary {
  readonly id: string;
  readonly displayName: string;
  /** Its direct holders are the first `holderCount` users in list order. */
  readonly holderCount: number;
}

/** Issue 11's catalog: 1,000 libraries, one held by 10 users and one by min(N / 2, 50,000). */
export interface SeededLibraries {
  readonly all: readonly SeededLibrary[];
  readonly rare: SeededLibrary;
  readonly popular: SeededLibrary;
}

export const LIBRARY_COUNT = 1000;
export const RARE_HOLDERS = 10;
/**
 * At most half the tenant, so that every size has users who do not hold it: held by all 1,000
 * users of the small tenant, the scenario's measured grants were no-ops there (each user already
 * held it), and the 100k ÷ 1k verdict compared real grants with none.
 */
export const POPULAR_HOLDERS = 50_000;

/** The libraries with their filter index rows, written as the service writes them, and the two libraries' grants. */
export async function seedLibraries(manager: EntityManager, tenantId: string, userCount: number): Promise<SeededLibraries> {
  const now = new Date().toISOString();
  const all: SeededLibrary[] = [];
  for (let i = 0; i < LIBRARY_COUNT; i++) {
    const displayName = `Bench library ${String(i).padStart(4, '0')}`;
    const data = { schemas: [LIBRARY_SCHEMA], displayName, description: `Seeded library ${i}` };
    const row = Object.assign(new LibraryEntity(), { id: randomUUID(), tenantId, displayName, displayNameKey: caseFold(displayName), data, version: 1, createdAt: now, lastModified: now });
    // As in LibrariesRepository: TypeORM's deep-partial type cannot see through the simple-json `data`.
    await manager.insert(LibraryEntity, row as QueryDeepPartialEntity<LibraryEntity>);
    await insertIndexedValues(manager, LIBRARIES.table.valuesTable, asTenantId(tenantId), [{ resourceId: row.id, rows: indexedValuesOf({ ...data, id: row.id }, LIBRARIES.type.context) }]);
    all.push({ id: row.id, displayName, holderCount: 0 });
  }
  const rare = await grantToFirstUsers(manager, tenantId, all[0], Math.min(RARE_HOLDERS, userCount));
  const popular = await grantToFirstUsers(manager, tenantId, all[1], Math.min(POPULAR_HOLDERS, Math.floor(userCount / 2)));
  return { all: [rare, popular, ...all.slice(2)], rare, popular };
}

async function grantToFirstUsers(manager: EntityManager, tenantId: string, library: SeededLibrary, holderCount: number): Promise<SeededLibrary> {
  await runSql(
    manager,
    `INSERT INTO user_library_grants (tenant_id, library_id, user_id)
     SELECT u.tenant_id, :libraryId, u.id FROM users u WHERE u.tenant_id = :tenantId AND u.deleted_at IS NULL ORDER BY u.id LIMIT ${holderCount}`,
    { libraryId: library.id, tenantId },
  );
  return { ...library, holderCount };
}
