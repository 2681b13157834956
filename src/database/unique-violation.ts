import { QueryFailedError } from 'typeorm';

/**
 * The one place that recognises a unique-index violation from either engine, so that services
 * can let the database enforce uniqueness and turn the failure into a 409 instead of a
 * read-then-write race. PostgreSQL reports SQLSTATE 23505, better-sqlite3 SQLITE_CONSTRAINT_UNIQUE.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key refused the write: PostgreSQL SQLSTATE 23503, better-sqlite3 SQLITE_CONSTRAINT_FOREIGNKEY. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Whether a unique violation concerns the named table: PostgreSQL names the table and
 * constraint in `table`/`constraint`, SQLite names `table.column` in its message.
 */
export function isUniqueViolationOn(error: unknown, table: string): boolean {
  if (!isUniqueViolation(error)) return false;
  const driverError = (error as QueryFailedError).driverError as { table?: unknown; constraint?: unknown; message?: unknown };
  const said = [driverError.table, driverError.constraint, driverError.message].filter((part) => typeof part === 'string').join(' ');
  return said.includes(table);
}

/**
 * PostgreSQL broke a deadlock by failing this transaction (SQLSTATE 40P01); the other one went on.
 * SQLite cannot deadlock: its transactions run one at a time.
 */
export function isDeadlock(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  return (error.driverError as { code?: unknown } | undefined)?.code === '40P01';
}
