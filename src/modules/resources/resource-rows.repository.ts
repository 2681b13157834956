import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { insertIndexedValues, updateIndexedValues } from '../../database/query/indexed-values-store.js';
import { compileListQuery, type ListedIds, type ListQuery } from '../../database/query/list-query.js';
import type { ListPacing } from '../../database/query/resource-lister.js';
import { changeLiveCount } from '../../database/query/resource-counts.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { indexedValuesOf } from '../../scim/query/indexed-values.js';
import { diffIndexedValues } from '../../scim/query/indexed-values-diff.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { boundIds, CoalescedIdReads, idIsOneOf } from '../../database/coalesced-id-reads.js';
import { EntityRows } from '../../database/entity-rows.js';
import { PreparedSql } from '../../database/prepared-sql.js';
import { runSql, runSqlChanging } from '../../database/run-sql.js';
import { jsonRowsAggregate, parseJsonRows } from '../../database/query/json-rows.js';
import { unindexedCheck } from '../../database/query/unindexed-check.js';
import type { AttributeValues, InlineValues, ResourceDefinition, StoredResource } from './resource-definition.js';

interface ResourceRow {
  readonly id: string;
  readonly data: string | ScimObject;
  readonly version: number | string;
  readonly created_at: string;
  readonly last_modified: string;
}

/** A resource row with each inline loader's rows, as JSON (SQLite: text; PostgreSQL: parsed, NULL when none). */
type RowWithValues = ResourceRow & Readonly<Record<`v${number}`, unknown>>;

/** A stored resource and each inline loader's values, in the loaders' order. */
export interface ResourceWithValues {
  readonly row: StoredResource;
  readonly values: readonly AttributeValues[];
}

/**
 * The SQL every resource table shares. Every method takes the definition and the tenant first;
 * soft-deleted rows are invisible. Reads select the five shared columns and the inline loaders'
 * values as prepared statements rather than hydrating entities: the read path needs nothing else.
 */
@Injectable()
export class ResourceRowsRepository {
  private readonly withValuesSql = new Map<string, string>();
  private readonly byIdReads = new Map<string, CoalescedIdReads<RowWithValues>>();

  constructor(private readonly prepared: PreparedSql) {}

  /**
   * The live resource and the values of `inlines` (in their order), in one prepared statement:
   * GET by id's single round trip (issue 15). Reads of the same type and inlines that arrive
   * together share that statement (CoalescedIdReads); one alone runs the statement for its id.
   */
  async findWithValues(definition: ResourceDefinition, tenant: TenantId, id: string, inlines: readonly InlineValues[]): Promise<ResourceWithValues | null> {
    const row = await this.byIdReadsOf(definition, inlines).read(tenant, id);
    return row === null ? null : withValues(row, inlines);
  }

  private byIdReadsOf(definition: ResourceDefinition, inlines: readonly InlineValues[]): CoalescedIdReads<RowWithValues> {
    const key = sqlKey('byId', definition, inlines);
    let reads = this.byIdReads.get(key);
    if (reads === undefined) {
      const { isPostgres } = this.prepared;
      const one = selectByIds(definition, inlines, isPostgres, 'r.id = $2');
      const many = selectByIds(definition, inlines, isPostgres, idIsOneOf('r.id', '$2', isPostgres));
      reads = new CoalescedIdReads<RowWithValues>((tenant, ids) =>
        ids.length === 1 ? this.prepared.all<RowWithValues>(one, [tenant, ids[0]]) : this.prepared.all<RowWithValues>(many, [tenant, boundIds(ids, isPostgres)]),
      );
      this.byIdReads.set(key, reads);
    }
    return reads;
  }

  /** SQL text built once per statement kind, resource type and set of inline loaders (a handful in all). */
  private cachedSql([kind, definition, inlines]: [string, ResourceDefinition, readonly InlineValues[]], build: () => string): string {
    const key = sqlKey(kind, definition, inlines);
    let sql = this.withValuesSql.get(key);
    if (sql === undefined) {
      sql = build();
      this.withValuesSql.set(key, sql);
    }
    return sql;
  }

  /** A list request checked and compiled for the type's table (a bad filter or sortBy fails here, before any statement). */
  listQuery(definition: ResourceDefinition, tenant: TenantId, request: ListRequest): ListQuery {
    return compileListQuery(this.prepared, definition.table, tenant, request, definition.type.resolve);
  }

  /**
   * One page of a tenant's live resources, filtered and sorted in the database, with the values of
   * `inlines`: the page's ids and its rows in one statement (ResourceLister).
   */
  async listPage(definition: ResourceDefinition, query: ListQuery, inlines: readonly InlineValues[] = [], pacing?: ListPacing): Promise<ListedIds & { readonly resources: ResourceWithValues[] }> {
    const page = await query.run(this.cachedSql(['columns', definition, inlines], () => resourceColumns(definition, inlines, this.prepared.isPostgres)), pacing);
    return { ...page, resources: page.rows.map((row) => withValues(row as unknown as RowWithValues, inlines)) };
  }

  /** The live row, locked against other writers until the transaction ends (PostgreSQL; SQLite's writers queue). */
  async findForUpdate<E extends StoredResource>(definition: ResourceDefinition<E>, tenant: TenantId, id: string, manager: EntityManager): Promise<E | null> {
    const entityRows = new EntityRows<E>(manager, definition.entity);
    const isPostgres = manager.connection.options.type === 'postgres';
    const lock = isPostgres ? (definition.writeLock === 'for_no_key_update' ? ' FOR NO KEY UPDATE' : ' FOR UPDATE') : '';
    const rows = await runSql(manager, `SELECT ${entityRows.selectList()} FROM ${definition.table.table} WHERE ${liveRowSql(definition)}${lock}`, { tenant, id });
    return rows.length === 0 ? null : entityRows.hydrate(rows[0]);
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
    const params: Record<string, unknown> = { tenant, id, expectedVersion };
    const sets = new EntityRows<E>(manager, definition.entity).assignments({ ...columns, version: expectedVersion + 1 }, params, 'set');
    const sql = `UPDATE ${definition.table.table} SET ${sets} WHERE ${liveRowSql(definition)} AND version = :expectedVersion`;
    return (await runSqlChanging(manager, sql, params)).affected > 0;
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

/** The resource's columns (`r`) and, per inline loader, its rows as one JSON array in the loader's order. */
function resourceColumns(definition: ResourceDefinition, inlines: readonly InlineValues[], isPostgres: boolean): string {
  const aggregated = inlines.map((inline, i) => `, (SELECT ${jsonRowsAggregate(inline, isPostgres)} FROM ${inline.from}) AS v${i}`);
  return `r.id, r.data, r.version, r.created_at, r.last_modified${aggregated.join('')}`;
}

/** The live rows that `idCondition` picks (one id, or several: idIsOneOf), with their inline values. */
function selectByIds(definition: ResourceDefinition, inlines: readonly InlineValues[], isPostgres: boolean, idCondition: string): string {
  const { table, softDeleted } = definition.table;
  return (
    `SELECT ${resourceColumns(definition, inlines, isPostgres)} FROM ${table} r` +
    ` WHERE ${idCondition}` +
    // The id is the way in: without statistics PostgreSQL walked the tenant's index for
    // `r.tenant_id = $1` and filtered it by the ids (60 ms a page at 100,000 users).
    ` AND ${unindexedCheck(`r.tenant_id = $1${softDeleted ? ' AND r.deleted_at IS NULL' : ''}`)}`
  );
}

function sqlKey(kind: string, definition: ResourceDefinition, inlines: readonly InlineValues[]): string {
  return [kind, definition.table.table, ...inlines.map((inline) => inline.from)].join('|');
}

/** The tenant's live row `:id` (soft-deleted rows are gone to writes as to reads). */
function liveRowSql(definition: ResourceDefinition): string {
  return `tenant_id = :tenant AND id = :id${definition.table.softDeleted ? ' AND deleted_at IS NULL' : ''}`;
}

function withValues(row: RowWithValues, inlines: readonly InlineValues[]): ResourceWithValues {
  return { row: toStored(row), values: inlines.map((inline, i) => inline.toValues(parseJsonRows(row[`v${i}`], inline))) };
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
