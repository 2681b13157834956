import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';

/** What better-sqlite3's connection and statements offer, as far as the hot reads use them. */
interface SqliteConnection {
  prepare(source: string): { all(parameters: Record<string, unknown>): unknown[] };
}

/** What pg's pool offers: `name` makes the statement a named one, parsed once per connection. */
interface PgPool {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Past this many distinct texts the oldest statement is forgotten; the hot reads use a handful. */
const MAX_CACHED_STATEMENTS = 200;

/**
 * Runs the few statements of the hot read paths (GET by id) without TypeORM's query path, whose
 * parameter rewriting, broadcaster and promise hops cost more than the SQL on SQLite (issue 15's
 * profile). Each text is prepared once: on SQLite as a better-sqlite3 statement on TypeORM's own
 * single connection (so reads see exactly what TypeORM's do), on PostgreSQL as a named statement
 * that each pool connection parses once. Those statements are point lookups by primary key,
 * whose generic plan (PostgreSQL's choice after five runs) is the plan they need anyway.
 *
 * SQL is written with `$1`, `$2`… placeholders (PostgreSQL's own); on SQLite they become the
 * named parameters `@p1`, `@p2`…, so a statement may use a parameter twice on both engines.
 * Outside transactions only: a write's statements go through its EntityManager.
 */
@Injectable()
export class PreparedSql {
  private readonly sqliteStatements = new Map<string, ReturnType<SqliteConnection['prepare']>>();
  private readonly pgNames = new Map<string, string>();

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async all<T>(sql: string, values: readonly unknown[]): Promise<T[]> {
    if (this.isPostgres) {
      const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
      const result = await pool.query({ name: this.pgNameOf(sql), text: sql, values });
      return result.rows as T[];
    }
    return this.sqliteStatementOf(sql).all(sqliteParameters(values)) as T[];
  }

  private sqliteStatementOf(sql: string): ReturnType<SqliteConnection['prepare']> {
    let statement = this.sqliteStatements.get(sql);
    if (statement === undefined) {
      const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
      statement = connection.prepare(sql.replace(/\$(\d+)/g, '@p$1'));
      remember(this.sqliteStatements, sql, statement);
    }
    return statement;
  }

  private pgNameOf(sql: string): string {
    let name = this.pgNames.get(sql);
    if (name === undefined) {
      // The same text always gets the same name, on every connection and every replica.
      name = `roster_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      remember(this.pgNames, sql, name);
    }
    return name;
  }
}

function sqliteParameters(values: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  // better-sqlite3 binds no booleans; TypeORM's path turns them into 0/1 the same way.
  values.forEach((value, i) => (named[`p${i + 1}`] = typeof value === 'boolean' ? Number(value) : value));
  return named;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.set(key, value);
  if (cache.size > MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
}
