import { type EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { detachedRows } from './detached-rows.js';
import { PgStatementNames } from './pg-statement-names.js';

/** What pg's clients and pool answer; `name` makes the statement a named one. */
interface PgQueryable {
  query(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Texts of the hand-written SQL (writes, events, webhooks, grants) that run as named statements
 * on PostgreSQL. Issue 15: every statement of a PATCH was parsed, analysed and planned again by
 * the backend (EXPLAIN: planning 0.1–1.2 ms each against executions of 0.01–0.1 ms; the access
 * snapshot alone 1.2 ms), about 3 ms of backend CPU a PATCH at 100,000 users.
 */
const WRITE_PATH_NAMES = new PgStatementNames(150);
/** A statement binding more values than this is a batch (`IN` lists, multi-row INSERTs): its plan is shared by its rows, and its texts vary with its length. */
const MAX_NAMED_VALUES = 16;

/**
 * Runs SQL written with `:named` parameters on either engine: TypeORM's driver turns the names
 * into `?` (SQLite) or `$n` (PostgreSQL) and binds the values, so no value is ever spliced in.
 */
export async function runSql<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  if (isPostgres(manager)) return detachedRows((await runOnPostgres(manager, text, bound)).rows as T[]);
  const result: unknown = await manager.query(text, bound);
  return Array.isArray(result) ? detachedRows(result as T[]) : [];
}

/** `:name0, :name1, …` for an IN list, with the values added to `params`. */
export function inList(name: string, values: readonly unknown[], params: Record<string, unknown>): string {
  return values
    .map((value, i) => {
      params[`${name}${i}`] = value;
      return `:${name}${i}`;
    })
    .join(', ');
}

/**
 * Like runSql, for an UPDATE or DELETE: the rows it returned (`RETURNING`) and how many it
 * changed. TypeORM answers these differently per driver unless asked for its structured result.
 */
export async function runSqlChanging<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<{ records: T[]; affected: number }> {
  const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  if (isPostgres(manager)) {
    const result = await runOnPostgres(manager, text, bound);
    return { records: detachedRows(result.rows as T[]), affected: result.rowCount ?? result.rows.length };
  }
  // EntityManager.query cannot ask for the structured result; its query runner can.
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(text, bound, true)) as { records?: unknown[]; affected?: number };
    return { records: (result.records ?? []) as T[], affected: result.affected ?? result.records?.length ?? 0 };
  } finally {
    if (manager.queryRunner === undefined) await runner.release();
  }
}

function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}

/**
 * The statement on the manager's connection (its transaction's, else the pool's), named when its
 * text may be (WRITE_PATH_NAMES), as TypeORM's query runner would run it otherwise: announced to
 * TypeORM's logger first, its failure a QueryFailedError (unique-violation.ts reads those).
 */
async function runOnPostgres(manager: EntityManager, text: string, values: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }> {
  const runner = manager.queryRunner;
  // As TypeORM's runner refuses: a released runner's connection is back in the pool, maybe another request's.
  if (runner?.isReleased === true) throw new QueryRunnerAlreadyReleasedError();
  manager.connection.logger.logQuery(text, values, runner);
  const name = values.length <= MAX_NAMED_VALUES ? WRITE_PATH_NAMES.nameOf(text) : undefined;
  const statement = name === undefined ? { text, values } : { name, text, values };
  try {
    // A transaction's statements go to its own connection; others take one from the pool for the statement.
    const client = (runner === undefined ? (manager.connection.driver as unknown as { master: PgQueryable }).master : ((await runner.connect()) as PgQueryable));
    return await client.query(statement);
  } catch (error) {
    throw error instanceof QueryFailedError ? error : new QueryFailedError(text, values, error as Error);
  }
}
