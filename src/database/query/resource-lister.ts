import type { TenantId } from '../../domain/tenant-id.js';
import type { KeyValue } from '../../scim/query/cursor.js';
import type { SqlReader } from '../prepared-sql.js';
import type { SortOrder } from '../../scim/query/list-request.js';
import type { CompiledFilter } from './filter-sql.js';
import type { ResourceTable } from './resource-table.js';
import type { SortExpression } from './sort-sql.js';
import { unindexedCheck } from './unindexed-check.js';

/** What to list: one tenant's live resources of a table, optionally filtered and sorted. */
export interface ListPlan {
  readonly table: ResourceTable;
  readonly tenant: TenantId;
  /** Compiled filter (filter-sql.ts) and sort; both use `params`. */
  readonly filter?: CompiledFilter;
  readonly sort?: { readonly expression: SortExpression; readonly order: SortOrder };
  readonly params: Record<string, unknown>;
}

/** How SQLite list work takes turns of the event loop (ResourceReader's LoopTurnQueue); none on PostgreSQL, whose queries yield by themselves. */
export interface ListPacing {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** A page's ids in list order, and its rows: their keys and the caller's columns. */
export interface ListedPage {
  readonly ids: string[];
  readonly rows: Record<string, unknown>[];
}

export interface CursorPage extends ListedPage {
  /** Sort keys of the last row, when a later page exists. */
  readonly next?: KeyValue[];
  /** Sort keys of the first row, when an earlier page exists. */
  readonly previous?: KeyValue[];
}

/**
 * Runs list queries. Rows are ordered by a key tuple — `(id)` by default, else `(has no value,
 * value, id)`, so resources without the sortBy value come last ascending and first descending
 * (RFC 7644 §3.4.2.3) and ties fall to the id. Cursor pages seek past a key tuple (keyset
 * pagination), so a page deep in a tenant costs what the first one does; index pages use OFFSET.
 */
export class ResourceLister {
  constructor(
    private readonly reader: SqlReader,
    private readonly plan: ListPlan,
  ) {}

  get keyCount(): number {
    return this.plan.sort === undefined ? 1 : 3;
  }

  async count(): Promise<number> {
    const rows = await this.run<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${this.source()}`, {});
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * An index page of a list of `total` rows. OFFSET walks every row it skips (SQLite and
   * PostgreSQL alike: about 7 ms for 90,000 ids on SQLite, on the event loop), so a page past the
   * middle is read from the other end, in the reverse order, skipping only the rows after it: the
   * deepest page of an import costs what the first does, and the walk of a whole tenant page by
   * page halves. A page starting past `total` is empty without walking at all. `total` is read
   * just before, as the forward walk's total always was: a write in between moves the page by the
   * rows it added or removed, as it would move a forward page.
   */
  async pageByIndex(total: number, startIndex: number, count: number, columns: string): Promise<ListedPage> {
    const before = startIndex - 1;
    const remaining = total - before;
    if (count === 0 || remaining <= 0) return listedPage([]);
    if (before <= remaining) return listedPage(await this.select(undefined, 'forward', count, before, columns));
    const wanted = Math.min(count, remaining);
    // The same LIMIT as the forward page (one statement text per direction); the rows before the page are dropped.
    const rows = await this.select(undefined, 'backward', count, remaining - wanted, columns);
    return listedPage(rows.slice(0, wanted).reverse());
  }

  /**
   * An index page and the filtered total, for keyed filters, whose rows are few (an IdP's
   * `userName eq` per user). A first page with room to spare holds every match, so its length is
   * the total, from the same statement: one round trip, without the window count (`COUNT(*) OVER
   * ()`) that made SQLite sort and materialise even a single row (2–3 µs of a 12 µs statement).
   * Any other page counts on its own, through the filter's index, as an unkeyed filter does.
   */
  async pageByIndexWithTotal(startIndex: number, count: number, columns: string): Promise<ListedPage & { readonly total: number }> {
    if (count === 0) return { ...listedPage([]), total: await this.count() };
    const page = listedPage(await this.select(undefined, 'forward', count, startIndex - 1, columns));
    return { ...page, total: await this.totalAround(startIndex, count, page.ids.length) };
  }

  /**
   * An unsorted index page of a keyed filter as whole rows (`columns`, selected from the table's
   * alias) with the filtered total: a filtered list in one statement, as GET by id is, when the
   * page is the first and not full (see pageByIndexWithTotal). A count of its own runs through
   * `pacing` when given.
   */
  async rowsByIndexWithTotal(startIndex: number, count: number, columns: string, pacing?: ListPacing): Promise<{ readonly rows: Record<string, unknown>[]; readonly total: number }> {
    if (this.plan.sort !== undefined) throw new Error('rowsByIndexWithTotal pages in id order only');
    const counted = (): Promise<number> => (pacing === undefined ? this.count() : pacing.run(() => this.count()));
    if (count === 0) return { rows: [], total: await counted() };
    const { alias } = this.plan.table;
    const sql = `SELECT ${columns} FROM ${this.source()} ORDER BY ${alias}.id ASC ${pageWindowSql(count)}`;
    // Concurrent lookups of the same shape (an IdP's `userName eq` per user) may share a statement.
    const rows = await this.reader.allNamedInIdOrder<Record<string, unknown>>(sql, this.paramsWith(pageWindow(startIndex - 1)));
    return { rows, total: isWholeAnswer(startIndex, count, rows.length) ? rows.length : await counted() };
  }

  /** The filtered total around an index page of `found` rows: the page itself when it starts at 1 and is not full. */
  private async totalAround(startIndex: number, count: number, found: number): Promise<number> {
    return isWholeAnswer(startIndex, count, found) ? found : this.count();
  }

  /** `from` is where the previous page ended (`after`) or the next one began (`before`); none means the first page. */
  async pageByCursor(from: { readonly direction: 'after' | 'before'; readonly keys: readonly KeyValue[] } | undefined, count: number, columns: string): Promise<CursorPage> {
    if (count === 0) return listedPage([]);
    const backwards = from?.direction === 'before';
    const rows = await this.select(from?.keys, backwards ? 'backward' : 'forward', count + 1, 0, columns);
    const more = rows.length > count;
    const page = backwards ? rows.slice(0, count).reverse() : rows.slice(0, count);
    const first = page[0];
    const last = page[page.length - 1];
    const hasNext = backwards ? from !== undefined : more;
    const hasPrevious = backwards ? more : from !== undefined;
    return {
      ...listedPage(page),
      ...(hasNext && last !== undefined ? { next: this.keysOf(last) } : {}),
      ...(hasPrevious && first !== undefined ? { previous: this.keysOf(first) } : {}),
    };
  }

  /**
   * One page of keys in list order, with `columns` (selected from the table's alias) of each row,
   * in one statement: the page of keys is taken first and only its rows are then read, by
   * primary key. The rows' columns (a user's document, its groups and grants as subqueries) are
   * never computed for rows OFFSET skips, and a list page costs one round trip less than reading
   * the rows by their ids afterwards.
   */
  private async select(seek: readonly KeyValue[] | undefined, direction: 'forward' | 'backward', limit: number, offset: number, columns: string): Promise<KeyedRow[]> {
    const keys = this.keyExpressions();
    const descending = (this.plan.sort?.order === 'descending') !== (direction === 'backward');
    const params: Record<string, unknown> = {};
    const where = seek === undefined ? '' : ` WHERE ${seekCondition(keys, seek, descending ? '<' : '>', params)}`;
    const order = keys.map((key) => `${key} ${descending ? 'DESC' : 'ASC'}`).join(', ');
    const selected = keys.map((key, i) => `${key} AS k${i}`).join(', ');
    const sortColumn = this.plan.sort === undefined ? '' : `, ${this.plan.sort.expression.sql} AS sk`;
    const { alias, table } = this.plan.table;
    const page =
      `SELECT ${selected} FROM (SELECT ${alias}.id AS id${sortColumn} FROM ${this.source()}) p` +
      `${where} ORDER BY ${order} ${pageWindowSql(limit)}`;
    const pageKeys = keys.map((_, i) => `q.k${i}`);
    // CROSS JOIN: SQLite keeps the page as the outer loop, so the rows come in its order, unsorted again.
    const sql =
      `SELECT ${pageKeys.join(', ')}, ${columns} FROM (${page}) q CROSS JOIN ${table} ${alias} WHERE ${alias}.id = q.k${keys.length - 1}` +
      ` ORDER BY ${pageKeys.map((key) => `${key} ${descending ? 'DESC' : 'ASC'}`).join(', ')}`;
    const rows = await this.run<Record<string, unknown>>(sql, Object.assign(params, pageWindow(offset)));
    return rows.map((row) => ({ id: String(row[`k${keys.length - 1}`]), keys: keys.map((_, i) => row[`k${i}`]), row }));
  }

  private keyExpressions(): string[] {
    const sort = this.plan.sort;
    if (sort === undefined) return ['p.id'];
    return ['CASE WHEN p.sk IS NULL THEN 1 ELSE 0 END', `COALESCE(p.sk, ${sort.expression.numeric ? '0' : "''"})`, 'p.id'];
  }

  private keysOf(row: KeyedRow): KeyValue[] {
    return row.keys.map((value, i) => (i === 0 && this.keyCount === 3 ? Number(value) : (value as KeyValue)));
  }

  /**
   * The tenant's live rows, filtered. A keyed filter finds its rows by an index lookup, so the
   * tenant and liveness are checked on what it found, in a form no index can answer: given a
   * tenant test it could index, PostgreSQL without statistics may start from the tenant's rows
   * and probe the lookup once per row (unindexed-check.ts).
   */
  private source(): string {
    const { table, filter } = this.plan;
    const live = `${table.alias}.tenant_id = :listTenant${table.softDeleted ? ` AND ${table.alias}.deleted_at IS NULL` : ''}`;
    if (filter === undefined) return `${table.table} ${table.alias} WHERE ${live}`;
    return `${table.table} ${table.alias} WHERE ${filter.isKeyed ? unindexedCheck(live) : live} AND ${filter.sql}`;
  }

  private run<T>(sql: string, extra: Record<string, unknown>): Promise<T[]> {
    return this.reader.allNamed<T>(sql, this.paramsWith(extra));
  }

  private paramsWith(extra: Record<string, unknown>): Record<string, unknown> {
    // Object.assign, not spreads: spreading the compiled parameters (named by SqlParams at run
    // time) took about 2 µs a call against 0.1 µs, on every list request (issue 15, profiled).
    return Object.assign({}, this.plan.params, extra, { listTenant: this.plan.tenant });
  }
}

/** Whether a page of `found` rows holds every match: it starts at 1 and is not full. */
function isWholeAnswer(startIndex: number, count: number, found: number): boolean {
  return startIndex === 1 && found < count;
}

/**
 * OFFSET as a parameter: written into the text, every startIndex of an import paging through a
 * tenant made a statement of its own, compiled once and kept (PreparedSql) and, on PostgreSQL,
 * given one of the process's named statements, which then ran out for the hot reads. LIMIT stays
 * in the text (a client's page sizes are few): SQLite plans a constant LIMIT into its sorter, and
 * a keyed filter's page took 62 µs with a bound one against 21 µs.
 */
function pageWindowSql(limit: number): string {
  return `LIMIT ${Math.trunc(limit)} OFFSET :pageOffset`;
}

function pageWindow(offset: number): { readonly pageOffset: number } {
  return { pageOffset: Math.trunc(offset) };
}

interface KeyedRow {
  readonly id: string;
  readonly keys: unknown[];
  /** Everything the statement answered for the row: its keys and the caller's columns. */
  readonly row: Record<string, unknown>;
}

function listedPage(page: readonly KeyedRow[]): ListedPage {
  return { ids: page.map((keyed) => keyed.id), rows: page.map((keyed) => keyed.row) };
}

/** `(k0, k1, …) > (v0, v1, …)` spelt out, since SQLite and PostgreSQL differ on row-value comparisons with mixed directions. */
function seekCondition(keys: readonly string[], values: readonly KeyValue[], op: '<' | '>', params: Record<string, unknown>): string {
  const bind = (i: number): string => {
    params[`seek${i}`] = values[i];
    return `:seek${i}`;
  };
  const terms = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((earlier, j) => `${earlier} = ${bind(j)}`);
    return `(${[...equal, `${key} ${op} ${bind(i)}`].join(' AND ')})`;
  });
  return `(${terms.join(' OR ')})`;
}
