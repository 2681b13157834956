import type { DataSource } from 'typeorm';
import { SQLITE_MEMORY, SQLITE_TEMP_STORE } from './data-source-options.js';

/** What better-sqlite3's connection offers, as far as the hot reads use it. */
export interface SqliteConnection {
  prepare(source: string): { all(parameters: Record<string, unknown>): unknown[] };
  pragma(source: string): unknown;
  close(): void;
  readonly name: string;
}

type SqliteConstructor = new (file: string, options: { readonly fileMustExist: boolean }) => SqliteConnection;

interface BetterSqlite3Driver {
  readonly databaseConnection: SqliteConnection;
  /** The better-sqlite3 module TypeORM loaded: the same build opens the read connection. */
  readonly sqlite: SqliteConstructor;
}

/** The connection the hot reads use on SQLite, and whether it is one of their own (to close at shutdown). */
export interface SqliteReads {
  readonly connection: SqliteConnection;
  readonly isOwn: boolean;
}

/**
 * A second connection to the service's SQLite file, for the reads that run outside transactions.
 *
 * better-sqlite3 gives TypeORM one connection, and a transaction on it stays open across the
 * awaits between its statements. A read on that same connection, run by a concurrent request
 * between two of them, saw the transaction's uncommitted rows: half of a 1,000-member PATCH, or a
 * user whose POST then rolled back. In WAL mode a separate connection reads the last committed
 * state instead (https://sqlite.org/wal.html, "Concurrency"), and never blocks nor waits for the
 * writer. `query_only` makes it refuse any write. An in-memory database has no file to share, so
 * there the reads stay on the one connection.
 */
export function openSqliteReads(dataSource: DataSource): SqliteReads {
  const main = sqliteWriterConnection(dataSource);
  if (!isSqliteWalFile(dataSource)) return { connection: main, isOwn: false };
  const connection = new (dataSource.driver as unknown as BetterSqlite3Driver).sqlite(main.name, { fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  connection.pragma('query_only = ON');
  connection.pragma(`temp_store = ${SQLITE_TEMP_STORE}`);
  return { connection, isOwn: true };
}

/** TypeORM's one better-sqlite3 connection, on which every statement of the data source runs. */
export function sqliteWriterConnection(dataSource: DataSource): SqliteConnection {
  return (dataSource.driver as unknown as BetterSqlite3Driver).databaseConnection;
}

/**
 * Whether the data source is a SQLite file in WAL mode: its reads get a connection of their own,
 * its transactions the gate (sqlite-transaction-gate.ts), its checkpoints a worker (sqlite-checkpointer.ts).
 */
export function isSqliteWalFile(dataSource: DataSource): boolean {
  const { options } = dataSource;
  return options.type === 'better-sqlite3' && options.database !== SQLITE_MEMORY && options.enableWAL === true;
}
