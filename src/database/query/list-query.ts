import type { TenantId } from '../../domain/tenant-id.js';
import type { SqlReader } from '../prepared-sql.js';
import type { AttributeResolver } from '../../scim/filter/attribute-resolver.js';
import { parseFilter } from '../../scim/filter/parser.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../../scim/query/cursor.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { type CompiledFilter, filterToSql } from './filter-sql.js';
import { liveCount } from './resource-counts.js';
import { type ListPacing, ResourceLister } from './resource-lister.js';
import { type ResourceTable, SqlParams } from './resource-table.js';
import { sortExpression } from './sort-sql.js';

/** One page of ids in list order, and what the ListResponse says about paging. */
export interface ListedIds {
  readonly total: number;
  readonly ids: string[];
  /** Index pagination only. */
  readonly startIndex?: number;
  /** The page's rows: the caller's columns, read with the page (see ListQuery.run). */
  readonly rows: readonly Record<string, unknown>[];
  /** Cursor pagination only (RFC 9865). */
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/** A list request checked and compiled against one resource type, not yet run. */
export interface ListQuery {
  /**
   * An unsorted index page of a keyed filter (an IdP matching one user by `userName eq`): its
   * rows are found by an index lookup, usually few, with the total from the same statement, and
   * concurrent lookups of the same shape share that statement (CoalescedStatements).
   */
  readonly isLookup: boolean;
  /**
   * The total and one page of rows: the page's ids with `rowColumns` (selected from the table's
   * alias) of each. A lookup that must count its matches apart (a full or later page) counts
   * through `pacing`, since a keyed filter may still match much of the tenant.
   */
  run(rowColumns: string, pacing?: ListPacing): Promise<ListedIds>;
}

/**
 * RFC 7644 §3.4.2 (and RFC 9865) for one resource type: the filter and sortBy are checked
 * against the type's schemas and compiled to SQL, before any statement runs. Everything a client
 * sends reaches SQL as bound parameters.
 */
export function compileListQuery(reader: SqlReader, table: ResourceTable, tenant: TenantId, request: ListRequest, resolve: AttributeResolver): ListQuery {
  const params = new SqlParams('q');
  const tenantParam = params.add(tenant);
  const filter = request.filter === undefined ? undefined : filterToSql(parseFilter(request.filter), resolve, table, params, tenantParam);
  const sort = request.sortBy === undefined ? undefined : { expression: sortExpression(request.sortBy, resolve, table, params, tenantParam), order: request.sortOrder };
  const lister = new ResourceLister(reader, {
    table,
    tenant,
    ...(filter === undefined ? {} : { filter }),
    ...(sort === undefined ? {} : { sort }),
    params: params.values,
  });
  const { page } = request;
  const isLookup = page.kind === 'index' && filter?.isKeyed === true && sort === undefined;
  return {
    isLookup,
    run: async (rowColumns, pacing) => {
      if (page.kind === 'index' && isLookup) {
        const { rows, total } = await lister.rowsByIndexWithTotal(page.startIndex, page.count, rowColumns, pacing);
        return { total, rows, ids: rows.map((row) => String(row.id)), startIndex: page.startIndex };
      }
      return runPage(reader, lister, table, tenant, request, filter, rowColumns);
    },
  };
}

/** Every page but a lookup's. */
async function runPage(reader: SqlReader, lister: ResourceLister, table: ResourceTable, tenant: TenantId, request: ListRequest, filter: CompiledFilter | undefined, rowColumns: string): Promise<ListedIds> {
  // An unfiltered list's total is the tenant's count kept by the write path, not a count of the tenant.
  const count = (): Promise<number> => (filter === undefined ? liveCount(reader, table, tenant) : lister.count());
  const { page } = request;
  if (page.kind === 'index') {
    if (filter?.isKeyed === true) return { ...(await lister.pageByIndexWithTotal(page.startIndex, page.count, rowColumns)), startIndex: page.startIndex };
    // The total first: it decides from which end the page is read (ResourceLister.pageByIndex).
    const total = await count();
    return { total, ...(await lister.pageByIndex(total, page.startIndex, page.count, rowColumns)), startIndex: page.startIndex };
  }
  const fingerprint = queryFingerprint([table.resourceType, request.filter, request.sortBy, request.sortBy === undefined ? undefined : request.sortOrder]);
  const position = decodeCursor(page.cursor, fingerprint, lister.keyCount);
  const [total, found] = await Promise.all([count(), lister.pageByCursor(position, page.count, rowColumns)]);
  return {
    total,
    ids: found.ids,
    rows: found.rows,
    ...(found.next === undefined ? {} : { nextCursor: encodeCursor({ direction: 'after', keys: found.next }, fingerprint) }),
    ...(found.previous === undefined ? {} : { previousCursor: encodeCursor({ direction: 'before', keys: found.previous }, fingerprint) }),
  };
}
