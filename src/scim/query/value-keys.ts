import { caseFold } from '../case-fold.js';
import type { AttributeType } from '../schemas/characteristics.js';

/**
 * How a value is stored for filtering and sorting, and how a filter literal is turned into the
 * same form, so that the database compares like with like (RFC 7643 §2.2, §2.3):
 * - strings that are not caseExact are folded (`caseFold`); caseExact ones are kept as sent;
 * - dateTimes become `Date#toISOString()` text, whose order is the order of the instants;
 * - booleans become "true" / "false"; numbers are stored as numbers.
 * Text keys compare by code point: SQLite's BINARY collation and PostgreSQL's "C" collation both
 * order UTF-8 bytes, which is code point order, and `compareCodePoints` does the same in memory.
 */
export interface KeyedAttribute {
  readonly type: AttributeType;
  readonly caseExact: boolean;
}

/**
 * The indexed part of a text key, in code points. PostgreSQL refuses btree entries over ~2.7 kB,
 * and NFKC can make a key longer than the value, so the index holds a prefix and queries check
 * the whole key beside it.
 */
export const KEY_PREFIX_LENGTH = 200;

export function textKeyOf(attribute: KeyedAttribute, value: string | boolean): string | undefined {
  if (typeof value === 'boolean') return attribute.type === 'boolean' ? String(value) : undefined;
  switch (attribute.type) {
    case 'dateTime': {
      const instant = Date.parse(value);
      if (Number.isNaN(instant)) return undefined;
      const year = new Date(instant).getUTCFullYear();
      // Only four-digit years keep text order equal to time order ("+010000-…" would sort first).
      return year < 0 || year > 9999 ? undefined : new Date(instant).toISOString();
    }
    case 'string':
    case 'reference':
    case 'binary':
      return attribute.caseExact ? value : caseFold(value);
    default:
      return undefined;
  }
}

/** The first `KEY_PREFIX_LENGTH` code points: never splits a surrogate pair, which PostgreSQL would refuse. */
export function keyPrefixOf(key: string): string {
  if (key.length <= KEY_PREFIX_LENGTH) return key;
  return Array.from(key).slice(0, KEY_PREFIX_LENGTH).join('');
}

/** Length in code points, which is what SQL's length() and substr() count on both engines. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * The least string greater than every string that starts with `prefix`, in code point order, or
 * undefined when there is none. `x >= prefix AND x < bound` is then a prefix test an index can use.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = (points.pop() ?? 0) + 1;
    if (last > 0x10ffff) continue;
    // Surrogate code points are not characters; PostgreSQL refuses them in text.
    points.push(last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
    return String.fromCodePoint(...points);
  }
  return undefined;
}

/** Orders strings by code point, as the databases order text keys (JavaScript's `<` orders UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (astral character) sorts above every BMP unit, which UTF-16 order gets wrong for U+E000..U+FFFF.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
