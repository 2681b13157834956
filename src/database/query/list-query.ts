import type { TenantId } from '../../domain/tenant-id.js';
import type { SqlReader } from '../prepared-sql.js';
import type { AttributeResolver } from '../../scim/filter/attribute-resolver.js';
import { parseFilter } from '../../scim/filter/parser.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../../scim/query/cursor.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { filterToSql } from './filter-sql.js';
import { liveCount } from './resource-counts.js';
import { ResourceLister } from './resource-lister.js';
import { type ResourceTable, SqlParams } from './resource-table.js';
import { sortExpression } from './sort-sql.js';

/** One page of ids in list order, and what the ListResponse says about paging. */
export interface ListedIds {
  readonly total: number;
  readonly ids: string[];
  /** Index pagination only. */
  readonly startIndex?: number;
  /** The page's rows: the caller's columns, read with the page (see listIds). */
  readonly rows: readonly Record<string, unknown>[];
  /** Cursor pagination only (RFC 9865). */
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/**
 * RFC 7644 §3.4.2 (and RFC 9865) for one resource type: the filter and sortBy are checked
 * against the type's schemas and compiled to SQL, then the total and one page of rows are read:
 * the page's ids with `rowColumns` (selected from the table's alias) of each. Everything a client
 * sends reaches SQL as bound parameters.
 */
export async function listIds(
  reader: SqlReader,
  table: ResourceTable,
  tenant: TenantId,
  request: ListRequest,
  resolve: AttributeResolver,
  rowColumns: string,
): Promise<ListedIds> {
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
  // An unfiltered list's total is the tenant's count kept by the write path, not a count of the tenant.
  const count = (): Promise<number> => (filter === undefined ? liveCount(reader, table, tenant) : lister.count());
  const { page } = request;
  if (page.kind === 'index') {
    // A keyed filter's unsorted page (an IdP matching one user) reads its rows and total at once.
    if (filter?.isKeyed === true && sort === undefined) {
      const { rows, total } = await lister.rowsByIndexWithTotal(page.startIndex, page.count, rowColumns);
      return { total, rows, ids: rows.map((row) => String(row.id)), startIndex: page.startIndex };
    }
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
