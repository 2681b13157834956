import { describe, expect, it } from '@jest/globals';
import { isStorableText, unstorableTextIn } from './storable-text.js';

describe('isStorableText', () => {
  it.each([
    ['', true],
    ['plain', true],
    ['Ünïcödé 名前', true],
    ['a pair 😀 (U+1F600)', true],
    ['\uD83D\uDE00', true],
    ['a\u0000b', false],
    ['\u0000', false],
    ['a lone high \uD800 surrogate', false],
    ['a lone low \uDC00 surrogate', false],
    ['reversed \uDE00\uD83D', false],
    ['ends high \uD83D', false],
  ])('%j → %s', (text, expected) => expect(isStorableText(text)).toBe(expected));
});

describe('unstorableTextIn', () => {
  it.each<[unknown, string | undefined]>([
    [{ name: 'ok', n: 1, nested: { list: ['a', true, null] } }, undefined],
    ['a\u0000', '(the value)'],
    [{ name: 'a\u0000' }, 'name'],
    [{ settings: { rateLimits: { label: '\uD800' } } }, 'settings.rateLimits.label'],
    [{ items: ['ok', 'x\u0000'] }, 'items[1]'],
    [{ ['bad\u0000key']: 'x' }, JSON.stringify('bad\u0000key')],
  ])('finds the first unstorable string of %j at %s', (value, path) => expect(unstorableTextIn(value)).toBe(path));
});
