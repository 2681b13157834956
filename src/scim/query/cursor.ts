import { createHash } from 'node:crypto';
import { ScimError } from '../errors.js';
import { isStorableText } from '../storable-text.js';

/**
 * RFC 9865 cursors for keyset pagination: the sort key of the row a page ended (or began) at,
 * which way to go from it, and a fingerprint of the query (filter and sort), so a cursor is
 * never applied to a different query. Nothing is kept on the server, so cursors do not expire;
 * a forged cursor can only name a position, and every value in it is a bound SQL parameter.
 * base64url keeps to RFC 3986 unreserved characters, as RFC 9865 §2 asks.
 */
export type KeyValue = string | number;

export interface CursorPosition {
  /** `after`: the page after `keys` (nextCursor); `before`: the page before it (previousCursor). */
  readonly direction: 'after' | 'before';
  readonly keys: readonly KeyValue[];
}

const MAX_CURSOR_LENGTH = 2048;

export function queryFingerprint(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: CursorPosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ d: position.direction === 'after' ? 'a' : 'b', k: position.keys, q: fingerprint })).toString('base64url');
}

/** The position a cursor names; '' (RFC 9865: the first page) is undefined. */
export function decodeCursor(cursor: string, fingerprint: string, keyCount: number): CursorPosition | undefined {
  if (cursor === '') return undefined;
  const invalid = (why: string) => ScimError.invalidCursor(`The cursor is not valid: ${why}. Start again with an empty cursor.`);
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid('it is not one this service issued');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('it is not one this service issued');
  }
  const { d, k, q } = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as { d?: unknown; k?: unknown; q?: unknown };
  if ((d !== 'a' && d !== 'b') || !Array.isArray(k) || k.length !== keyCount || !k.every(isKeyValue)) {
    throw invalid('it is not one this service issued');
  }
  if (q !== fingerprint) throw invalid('it belongs to a query with a different filter or sort');
  return { direction: d === 'a' ? 'after' : 'before', keys: k };
}

/** A key this service could have written: a forged one goes to SQL as a bound parameter, so it must be one PostgreSQL takes. */
function isKeyValue(value: unknown): value is KeyValue {
  return (typeof value === 'string' && value.length <= 4096 && isStorableText(value)) || (typeof value === 'number' && Number.isFinite(value));
}
