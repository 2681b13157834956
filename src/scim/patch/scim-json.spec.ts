import { describe, expect, it } from '@jest/globals';
import { isPresent } from './scim-json.js';

describe('isPresent (RFC 7643 §2.5 unassigned values)', () => {
  const withOwnProto = JSON.parse('{"__proto__": "x"}') as Record<string, unknown>;
  const emptyOwnProto = JSON.parse('{"__proto__": ""}') as Record<string, unknown>;

  it.each([
    ['undefined', undefined, false],
    ['null', null, false],
    ['the empty string', '', false],
    ['an empty array', [], false],
    ['an array of unassigned values', [null, '', [], {}], false],
    ['an empty object', {}, false],
    ['an object whose members are all unassigned', { a: null, b: '', c: [], d: { e: null } }, false],
    ['a string', 'a', true],
    ['zero', 0, true],
    ['false', false, true],
    ['an array with one assigned value among unassigned ones', [null, '', 'x'], true],
    ['an object with one assigned member, deep down', { a: null, b: { c: [{ d: false }] } }, true],
    ['an object whose own __proto__ member holds a value', withOwnProto, true],
    ['an object whose own __proto__ member is unassigned', emptyOwnProto, false],
  ])('%s', (_name, value, expected) => {
    expect(isPresent(value)).toBe(expected);
  });

  it('looks only at own members, not at what an object inherits', () => {
    const inherited = Object.create({ inherited: 'value' }) as Record<string, unknown>;
    expect(isPresent(inherited)).toBe(false);
    inherited.own = 'x';
    expect(isPresent(inherited)).toBe(true);
  });
});
