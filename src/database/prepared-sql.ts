import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, QueryFailedError } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';
import { CoalescedStatements } from './coalesced-statements.js';
import { PgLateralForm } from './pg-lateral-form.js';
import type { RunPositional } from './shared-statement-form.js';
import { detachedRows } from './detached-rows.js';
import { PgStatementNames } from './pg-statement-names.js';
import { positionalSql, type PositionalSql, sqliteNamedSql } from './sql-placeholders.js';
import { openSqliteReads, type SqliteConnection, type SqliteReads, sqliteWriterConnection } from './sqlite-read-connection.js';

/** What pg's pool offers: `name` makes the statement a named one, parsed once per connection. */
interface PgPool {
  query(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Reads written with `:name` parameters, as the list queries build them. */
export interface SqlReader {
  allNamed<T>(sql: string, params: Readonly<Record<string, unknown>>): Promise<T[]>;
  /**
   * `allNamed` for a statement whose rows are ordered by, and carry, `id`: calls of the same text
   * that arrive together may share one statement (CoalescedStatements).
   */
  allNamedInIdOrder<T>(sql: string, params: Readonly<Record<string, unknown>>): Promise<T[]>;
}

/** Past this many distinct texts the oldest compiled form is forgotten. */
const MAX_CACHED_TEXTS = 500;
/**
 * PostgreSQL keeps a named statement on each pool connection until the connection closes, and
 * filters make texts by their shape: the first this-many texts are named, the rest run unnamed
 * (parsed and planned each time), so no client can grow the server's memory without bound.
 */
const MAX_NAMED_PG_STATEMENTS = 200;

/**
 * Runs the statements of the hot read paths (GET by id, list pages, filters, the access endpoint)
 * without TypeORM's query path, whose parameter rewriting, broadcaster and promise hops cost more
 * than the SQL on SQLite (issue 15's profile). Each text is prepared once: on SQLite as a
 * better-sqlite3 statement on a read connection of its own, which sees only committed rows
 * (sqlite-read-connection.ts), on PostgreSQL as a named statement that each pool connection parses and plans
 * once (a filter's parse and plan cost 0.15–0.2 ms of its 0.4 ms round trip). The sessions reuse
 * a named statement's generic plan from its first run (PG_PLAN_CACHE_MODE): the filter queries
 * are shaped so that the value lookup drives the plan whatever the parameters (filter-plans e2e
 * test).
 *
 * SQL is written with `$1`, `$2`… placeholders (PostgreSQL's own; on SQLite they become `@p1`,
 * `@p2`…), or with `:name` placeholders through `allNamed`. Outside transactions only: a write's
 * statements go through its EntityManager.
 */
@Injectable()
export class PreparedSql implements SqlReader, OnApplicationShutdown {
  private sqliteReads: SqliteReads | undefined;
  private readonly sqliteStatements = new Map<string, ReturnType<SqliteConnection['prepare']>>();
  private readonly pgNames = new PgStatementNames(MAX_NAMED_PG_STATEMENTS);
  private readonly positional = new Map<string, PositionalSql>();
  private readonly coalesced: CoalescedStatements;
  private pgProbes = 0;

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {
    const run: RunPositional = (sql, values) => this.all(sql, values);
    this.coalesced = new CoalescedStatements((sql, params) => this.positionalOf(sql, params), run, {
      // better-sqlite3 answers synchronously: a batch's statements take a loop turn each.
      turnEach: !this.isPostgres,
      ...(this.isPostgres ? { form: new PgLateralForm(run, (text) => this.pgParameterTypes(text)) } : {}),
    });
  }

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async all<T>(sql: string, values: readonly unknown[]): Promise<T[]> {
    // Through TypeORM's logger like its own queries: `logging` shows them, tests capture them.
    this.dataSource.logger.logQuery(sql, [...values]);
    try {
      if (this.isPostgres) {
        const name = this.pgNames.nameOf(sql);
        const result = await this.pgPool().query(name === undefined ? { text: sql, values } : { name, text: sql, values });
        return detachedRows(result.rows as T[]);
      }
      return this.sqliteStatementOf(sql).all(sqliteParameters(values)) as T[];
    } catch (error) {
      // The error TypeORM's own queries throw, so that outage detection (unavailable.ts), the
      // error log and everything else that reads driver errors sees the same shape either way.
      throw new QueryFailedError(sql, [...values], error as Error);
    }
  }

  /**
   * The types PostgreSQL infers for the placeholders of `text`: prepared under a name of its own
   * and read back from `pg_prepared_statements`, in one simple-protocol round trip on one
   * connection, and deallocated. `text` is a statement of ours: whatever a client sends reaches
   * it as a bound value, never in its text.
   */
  private async pgParameterTypes(text: string): Promise<readonly string[]> {
    const name = `roster_probe_${++this.pgProbes}`;
    const sql = `PREPARE ${name} AS ${text}; SELECT parameter_types::text[] AS types FROM pg_prepared_statements WHERE name = '${name}'; DEALLOCATE ${name}`;
    this.dataSource.logger.logQuery(sql, []);
    try {
      // No values: pg sends the three statements as one simple query, answered by a result each.
      const results = (await this.pgPool().query({ text: sql, values: [] })) as unknown as { rows: { types: string[] }[] }[];
      const types = results[1]?.rows[0]?.types;
      if (types === undefined) throw new Error(`no parameter types for ${name}`);
      return types;
    } catch (error) {
      throw new QueryFailedError(sql, [], error as Error);
    }
  }

  private pgPool(): PgPool {
    return (this.dataSource.driver as unknown as { master: PgPool }).master;
  }

  allNamed<T>(sql: string, params: Readonly<Record<string, unknown>>): Promise<T[]> {
    const compiled = this.positionalOf(sql, params);
    return this.all<T>(compiled.text, compiled.names.map((name) => params[name]));
  }

  /**
   * Through CoalescedStatements on both engines. On SQLite the calls that share a statement are
   * those that reach it together, which keyed lookups do: they skip the list pages' turn queue
   * (ResourceReader). Sharing saves what each statement pays alone outside a transaction (its
   * read transaction's locks on the WAL index): a `userName eq` filter 265–330 → 204–230 µs of
   * CPU, system time 42–47 → 16–21 µs of it (3 alternating pairs, 1,000 users).
   */
  allNamedInIdOrder<T>(sql: string, params: Readonly<Record<string, unknown>>): Promise<T[]> {
    return this.coalesced.all<T>(sql, params);
  }

  private positionalOf(sql: string, params: Readonly<Record<string, unknown>>): PositionalSql {
    let compiled = this.positional.get(sql);
    if (compiled === undefined) {
      compiled = positionalSql(sql, new Set(Object.keys(params)));
      remember(this.positional, sql, compiled);
    }
    return compiled;
  }

  private sqliteStatementOf(sql: string): ReturnType<SqliteConnection['prepare']> {
    let statement = this.sqliteStatements.get(sql);
    if (statement === undefined) {
      // Opened at the first read, after the migrations: the connection's statements are compiled against the final schema.
      this.sqliteReads ??= openSqliteReads(this.dataSource);
      statement = this.sqliteReads.connection.prepare(sqliteNamedSql(sql));
      remember(this.sqliteStatements, sql, statement);
    }
    return statement;
  }

  /** Closes the read connection before TypeORM's own closes (the last to close checkpoints the WAL). */
  onApplicationShutdown(): void {
    const reads = this.sqliteReads;
    if (reads?.isOwn !== true) return;
    this.sqliteStatements.clear();
    // A read that still arrives goes to TypeORM's connection, which fails like every other query once closed.
    this.sqliteReads = { connection: sqliteWriterConnection(this.dataSource), isOwn: false };
    reads.connection.close();
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
  if (cache.size > MAX_CACHED_TEXTS) cache.delete(cache.keys().next().value as string);
}
