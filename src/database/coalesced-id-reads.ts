import DataLoader from 'dataloader';
import type { TenantId } from '../domain/tenant-id.js';

/** Reads the rows of these ids of one tenant that exist (in any order); a missing id has no row. */
export type ReadRowsByIds<Row> = (tenant: TenantId, ids: readonly string[]) => Promise<readonly Row[]>;

interface RowRequest {
  readonly tenant: TenantId;
  readonly id: string;
}

/** At most this many ids go into one statement: the rest wait for the next. */
const MAX_IDS_PER_STATEMENT = 100;

/**
 * Reads of one row by id that arrive together run as one statement per tenant (issue 15). The
 * requests one poll phase of the event loop receives (concurrent GETs of an IdP's sync, a
 * platform's session checks) each used to send a statement of their own: on SQLite each paid a
 * read transaction's two `fcntl` lock calls (7 of a GET's 13 µs of SQL, measured on the bench's
 * database), on PostgreSQL a round trip, a pool connection and the backend's per-statement work.
 * Batched, they share one of each.
 *
 * dataloader gathers the reads; its default schedule (after the current promise jobs) would
 * gather only the reads of one request, so a batch closes on `setImmediate`, after the poll
 * phase has handed every request it read to its handler. A read never waits longer than that
 * one turn of the loop, and reads the state committed when its statement runs, which is after
 * the request arrived: no write acknowledged before the request is missed. Nothing is cached
 * between batches.
 */
export class CoalescedIdReads<Row extends { readonly id: string }> {
  private readonly loader: DataLoader<RowRequest, Row | null>;

  constructor(private readonly readRows: ReadRowsByIds<Row>) {
    this.loader = new DataLoader((requests) => this.readBatch(requests), {
      cache: false,
      maxBatchSize: MAX_IDS_PER_STATEMENT,
      batchScheduleFn: (run) => setImmediate(run),
    });
  }

  /** The tenant's row with this id, or null. */
  read(tenant: TenantId, id: string): Promise<Row | null> {
    return this.loader.load({ tenant, id });
  }

  /**
   * One statement per tenant in the batch (tenants never share a statement: each states its own
   * tenant, as every query does). If one fails, every read of the batch fails with its error:
   * each caller answers it (a 503) as it would its own.
   */
  private async readBatch(requests: readonly RowRequest[]): Promise<(Row | null)[]> {
    const idsByTenant = new Map<TenantId, Set<string>>();
    for (const { tenant, id } of requests) {
      let ids = idsByTenant.get(tenant);
      if (ids === undefined) idsByTenant.set(tenant, (ids = new Set()));
      ids.add(id);
    }
    const found = new Map<string, Row>();
    await Promise.all(
      [...idsByTenant].map(async ([tenant, ids]) => {
        for (const row of await this.readRows(tenant, [...ids])) found.set(rowKey(tenant, row.id), row);
      }),
    );
    return requests.map(({ tenant, id }) => found.get(rowKey(tenant, id)) ?? null);
  }
}

function rowKey(tenant: TenantId, id: string): string {
  return `${tenant}/${id}`;
}

/**
 * The condition that `column` is one of the ids bound at `placeholder`, as CoalescedIdReads' batched
 * statements state it: PostgreSQL binds the ids as an array, SQLite as the JSON text json_each reads
 * (boundIds gives either).
 */
export function idIsOneOf(column: string, placeholder: string, isPostgres: boolean): string {
  return isPostgres ? `${column} = ANY(${placeholder}::varchar[])` : `${column} IN (SELECT value FROM json_each(${placeholder}))`;
}

/** The ids as idIsOneOf's placeholder takes them. */
export function boundIds(ids: readonly string[], isPostgres: boolean): readonly string[] | string {
  return isPostgres ? ids : JSON.stringify(ids);
}
