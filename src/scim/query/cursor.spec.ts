import { describe, expect, it } from '@jest/globals';
import { scimTypeOf } from '../../../test/support/scim-type-of.js';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor.js';

const fingerprint = queryFingerprint(['User', 'userName sw "a"', undefined, undefined]);

describe('cursors (RFC 9865)', () => {
  it('round-trips a position with URL-safe characters only', () => {
    const cursor = encodeCursor({ direction: 'after', keys: [0, 'émile', 'id-1'] }, fingerprint);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, fingerprint, 3)).toEqual({ direction: 'after', keys: [0, 'émile', 'id-1'] });
    expect(decodeCursor(encodeCursor({ direction: 'before', keys: ['x'] }, fingerprint), fingerprint, 1)).toEqual({ direction: 'before', keys: ['x'] });
  });

  it('reads an empty cursor as the first page', () => {
    expect(decodeCursor('', fingerprint, 1)).toBeUndefined();
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['the wrong number of keys', encodeCursor({ direction: 'after', keys: ['a', 'b'] }, fingerprint)],
    ['a key of the wrong type', Buffer.from(JSON.stringify({ d: 'a', k: [{}], q: fingerprint })).toString('base64url')],
    ['an unknown direction', Buffer.from(JSON.stringify({ d: 'x', k: ['a'], q: fingerprint })).toString('base64url')],
    ['another query', encodeCursor({ direction: 'after', keys: ['a'] }, queryFingerprint(['User', undefined, 'userName', 'ascending']))],
    ['an over-long value', 'A'.repeat(5000)],
    // A forger can compute the fingerprint; the key still may not carry what PostgreSQL refuses.
    ['a NUL in a key', encodeCursor({ direction: 'after', keys: ['a\u0000'] }, fingerprint)],
    ['an unpaired surrogate in a key', encodeCursor({ direction: 'after', keys: ['\ud800'] }, fingerprint)],
  ])('refuses a cursor with %s as invalidCursor', (_label, cursor) => {
    expect(scimTypeOf(() => decodeCursor(cursor, fingerprint, 1))).toBe('invalidCursor');
  });
});
