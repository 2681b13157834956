import { describe, expect, it } from '@jest/globals';
import { codePointLength, compareCodePoints, KEY_PREFIX_LENGTH, keyPrefixOf, prefixUpperBound, textKeyOf } from './value-keys.js';

const text = (caseExact: boolean) => ({ type: 'string' as const, caseExact });

describe('textKeyOf', () => {
  it.each([
    ['folds strings that are not caseExact (NFKC, then lower case)', text(false), 'ＡＢＣ Émile', 'abc émile'],
    ['keeps caseExact strings as sent', text(true), 'ABC', 'ABC'],
    ['normalises dateTimes to their instant', { type: 'dateTime' as const, caseExact: false }, '2024-01-31T13:00:00+01:00', '2024-01-31T12:00:00.000Z'],
    ['writes booleans as words', { type: 'boolean' as const, caseExact: false }, true, 'true'],
  ])('%s', (_label, attribute, value, key) => {
    expect(textKeyOf(attribute, value)).toBe(key);
  });

  it.each([
    ['an unparsable dateTime', { type: 'dateTime' as const, caseExact: false }, 'yesterday'],
    ['a boolean for a string attribute', text(false), true],
    ['text for an integer attribute', { type: 'integer' as const, caseExact: false }, '5'],
  ])('has no key for %s', (_label, attribute, value) => {
    expect(textKeyOf(attribute, value)).toBeUndefined();
  });
});

describe('keyPrefixOf', () => {
  it('keeps short keys whole and cuts long ones by code point, never inside a surrogate pair', () => {
    expect(keyPrefixOf('short')).toBe('short');
    const long = '😀'.repeat(KEY_PREFIX_LENGTH + 5);
    const prefix = keyPrefixOf(long);
    expect(codePointLength(prefix)).toBe(KEY_PREFIX_LENGTH);
    expect(prefix).toBe('😀'.repeat(KEY_PREFIX_LENGTH));
  });
});

describe('prefixUpperBound', () => {
  it.each([
    ['abc', 'abd'],
    ['a\u{10FFFF}', 'b'],
    ['\u{D7FF}', '\u{E000}'],
    ['x😀', 'x😁'],
  ])('bounds strings starting with %j by %j', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });

  it('has no bound when every code point is the last one', () => {
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });

  it('is above every string that starts with the prefix and below the next prefix', () => {
    const bound = prefixUpperBound('ab') ?? '';
    for (const s of ['ab', 'ab\u{10FFFF}', 'abz😀', 'ab\uFFFF']) expect(compareCodePoints(s, bound)).toBeLessThan(0);
    expect(compareCodePoints('ac', bound)).toBe(0);
  });
});

describe('compareCodePoints', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    // UTF-16 order puts U+FFFF above U+1F600; code point order (and UTF-8 bytes) does not.
    ['\uFFFF', '😀', -1],
    ['😀', '😁', -1],
  ])('orders %j against %j as %i', (a, b, sign) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(sign);
  });

  it('agrees with byte order of UTF-8, which is how SQLite and PostgreSQL ("C") order text', () => {
    const samples = ['a', 'B', 'é', '\uFFFF', '😀', '\uE000', 'z', '', 'ab', '中'];
    const byBytes = [...samples].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...samples].sort(compareCodePoints)).toEqual(byBytes);
  });
});
