import type { EntityManager } from 'typeorm';
import { detachedRows } from './detached-rows.js';

/**
 * Runs SQL written with `:named` parameters on either engine: TypeORM's driver turns the names
 * into `?` (SQLite) or `$n` (PostgreSQL) and binds the values, so no value is ever spliced in.
 */
export async function runSql<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params);
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
  // EntityManager.query cannot ask for the structured result; its query runner can.
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(text, bound, true)) as { records?: unknown[]; affected?: number };
    return { records: (result.records ?? []) as T[], affected: result.affected ?? result.records?.length ?? 0 };
  } finally {
    if (manager.queryRunner === undefined) await runner.release();
  }
}
