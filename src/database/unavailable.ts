import { QueryFailedError } from 'typeorm';

/** Seconds a client is told to wait (`Retry-After`) while the database or Redis cannot be reached. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a server that is down, unreachable or cut off mid-conversation (Node's system error codes). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs that say "not now" rather than "wrong": class 08 (connection exception),
 * 57P01–57P03 (the server shutting down, crashed, starting), 53300 (too many connections).
 * better-sqlite3: the file locked past busy_timeout, unopenable or failing I/O.
 */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR']);

/** What pg and ioredis say, without a code, when their connection is gone or never came. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Connection is closed\.?$/,
  /Reached the max retries per request limit/,
  /Stream isn't writeable/,
];

const MAX_CAUSES = 5;

/**
 * Whether an error means that the database (or Redis) cannot be reached right now, as opposed to
 * a bug or a bad statement: such a request answers `503` with `Retry-After`, never `500`
 * (DESIGN.md "SCIM behaviours"). Looks through TypeORM's `driverError` and `cause` chains.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && typeof current === 'object' && current !== null; depth++) {
    if (looksUnavailable(current as DriverError)) return true;
    current = current instanceof QueryFailedError ? current.driverError : (current as DriverError).cause;
  }
  return false;
}

interface DriverError {
  readonly code?: unknown;
  readonly name?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

function looksUnavailable(error: DriverError): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (NETWORK_CODES.has(code) || TRANSIENT_CODES.has(code) || code.startsWith('08') || code.startsWith('SQLITE_IOERR')) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}
