import { QueryFailedError } from 'typeorm';
import { isDependencyUnavailable } from './unavailable.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection inside a failed query', failedQuery(withCode('ECONNRESET'))],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['pg giving up on the pool', new Error('timeout exceeded when trying to connect')],
    ['a pooled client broken earlier', new Error('Client has encountered a connection error and is not queryable')],
    ['SQLSTATE 08006 (connection failure)', failedQuery(withCode('08006'))],
    ['SQLSTATE 57P01 (the server shutting down)', failedQuery(withCode('57P01'))],
    ['SQLSTATE 53300 (too many connections)', withCode('53300')],
    ['SQLite locked past busy_timeout', failedQuery(withCode('SQLITE_BUSY'))],
    ['ioredis out of retries', Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' })],
    ['a cause chain', new Error('lookup failed', { cause: withCode('ETIMEDOUT') })],
  ])('is true for %s', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failedQuery(withCode('23505'))],
    ['a syntax error', failedQuery(withCode('42601'))],
    ['a missing table', failedQuery(withCode('SQLITE_ERROR', 'no such table: libraries'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'ECONNREFUSED'],
  ])('is false for %s', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
