import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { insertIndexedValues, updateIndexedValues } from '../../database/query/indexed-values-store.js';
import { listIds, type ListedIds } from '../../database/query/list-query.js';
import { changeLiveCount } from '../../database/query/resource-counts.js';
import { inList, runSql } from '../../database/run-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { indexedValuesOf } from '../../scim/query/indexed-values.js';
import { diffIndexedValues } from '../../scim/query/indexed-values-diff.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import type { ResourceDefinition, StoredResource } from './resource-definition.js';

interface ResourceRow {
  readonly id: string;
  readonly data: string | ScimObject;
  readonly version: number | string;
  readonly created_at: string;
  readonly last_modified: string;
}

/**
 * The SQL every resource table shares. Every method takes the definition and the tenant first;
 * soft-deleted rows are invisible. Reads select the five shared columns as plain SQL rather than
 * hydrating entities: the read path needs nothing else.
 */
@Injectable()
export class ResourceRowsRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async findById(definition: ResourceDefinition, tenant: TenantId, id: string): Promise<StoredResource | null> {
    const rows = await runSql<ResourceRow>(this.dataSource.manager, `${selectFrom(definition)} AND id = :id`, { tenant, id });
    return rows.length === 0 ? null : toStored(rows[0]);
  }

  /** Live resources by id, in the order of `ids`; any deleted meanwhile are left out. */
  async findManyByIds(definition: ResourceDefinition, tenant: TenantId, ids: readonly string[]): Promise<StoredResource[]> {
    if (ids.length === 0) return [];
    const params: Record<string, unknown> = { tenant };
    const rows = await runSql<ResourceRow>(this.dataSource.manager, `${selectFrom(definition)} AND id IN (${inList('id', ids, params)})`, params);
    const byId = new Map(rows.map((row) => [row.id, toStored(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** One page of a tenant's live resources, filtered and sorted in the database. */
  listIds(definition: ResourceDefinition, tenant: TenantId, request: ListRequest): Promise<ListedIds> {
    return listIds(this.dataSource.manager, definition.table, tenant, request, definition.type.resolve);
  }

  /** The live row, locked against other writers until the transaction ends (PostgreSQL; SQLite's writers queue). */
  findForUpdate<E extends StoredResource>(definition: ResourceDefinition<E>, tenant: TenantId, id: string, manager: EntityManager): Promise<E | null> {
    const isPostgres = manager.connection.options.type === 'postgres';
    return manager.getRepository(definition.entity).findOne({
      where: liveRow(definition, { tenantId: tenant, id }),
      ...(isPostgres ? { lock: { mode: definition.writeLock } } : {}),
    });
  }

  async insert<E extends StoredResource>(definition: ResourceDefinition<E>, row: E, manager: EntityManager): Promise<void> {
    await manager.getRepository(definition.entity).insert(row as QueryDeepPartialEntity<E>);
  }

  /**
   * Writes only if the row is still at `expectedVersion` (optimistic concurrency): false when
   * another write got there first, so no update is ever silently lost.
   */
  async updateIfVersion<E extends StoredResource>(
    definition: ResourceDefinition<E>,
    tenant: TenantId,
    id: string,
    expectedVersion: number,
    columns: Partial<E>,
    manager: EntityManager,
  ): Promise<boolean> {
    const where = liveRow(definition, { tenantId: tenant, id, version: expectedVersion });
    // TypeORM's deep-partial type cannot see through `data` (an open JSON object), hence the cast.
    const result = await manager.getRepository(definition.entity).update(where, { ...columns, version: expectedVersion + 1 } as QueryDeepPartialEntity<E>);
    return (result.affected ?? 0) > 0;
  }

  /** Moves the tenant's count of live resources of the type, in the write's transaction. */
  async changeLiveCount(definition: ResourceDefinition, tenant: TenantId, delta: 1 | -1, manager: EntityManager): Promise<void> {
    await changeLiveCount(manager, definition.table, tenant, delta);
  }

  /**
   * Writes the resource's filter index rows for its new document, in the write's transaction.
   * Without `previous` the resource has no rows yet and all are inserted; with it, only the rows
   * that differ from those `previous` produced are replaced (issue 15: a PATCH of `active` moves
   * one row, not the dozen of the whole user). Exact because the rows stored are always those of
   * the stored document: every write of `data` passes here, and a change of the row format comes
   * with a migration that rewrites the rows (user-value-rows.spec.ts).
   */
  async writeIndex(definition: ResourceDefinition, tenant: TenantId, id: string, data: ScimObject, manager: EntityManager, previous?: ScimObject): Promise<void> {
    const { valuesTable } = definition.table;
    const rows = indexedValuesOf({ ...data, id }, definition.type.context);
    if (previous === undefined) {
      await insertIndexedValues(manager, valuesTable, tenant, [{ resourceId: id, rows }]);
      return;
    }
    const diff = diffIndexedValues(indexedValuesOf({ ...previous, id }, definition.type.context), rows);
    await updateIndexedValues(manager, valuesTable, tenant, id, diff);
  }
}

function selectFrom(definition: ResourceDefinition): string {
  const { table, softDeleted } = definition.table;
  return `SELECT id, data, version, created_at, last_modified FROM ${table} WHERE tenant_id = :tenant${softDeleted ? ' AND deleted_at IS NULL' : ''}`;
}

function liveRow<E extends StoredResource>(definition: ResourceDefinition<E>, where: Record<string, unknown>): FindOptionsWhere<E> {
  return (definition.table.softDeleted ? { ...where, deletedAt: IsNull() } : where) as FindOptionsWhere<E>;
}

function toStored(row: ResourceRow): StoredResource {
  return {
    id: row.id,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as ScimObject) : row.data,
    version: Number(row.version),
    createdAt: row.created_at,
    lastModified: row.last_modified,
  };
}
