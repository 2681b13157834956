import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { isRosterId } from './resource-id.js';

describe('isRosterId', () => {
  it.each([
    [randomUUID(), true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['2819C223-7F76-453A-919D-413861904646', true],
    ['', false],
    ['\u0000', false],
    ['2819c223-7f76-453a-919d-413861904646\u0000', false],
    ['2819c223-7f76-453a-919d-41386190464', false],
    ['2819c2237f76453a919d413861904646', false],
    ['{2819c223-7f76-453a-919d-413861904646}', false],
    ['2819c223-7f76-453a-919d-41386190464g', false],
    ['\uD800', false],
    ['x'.repeat(10 * 1024), false],
  ])('%j → %s', (text, expected) => expect(isRosterId(text)).toBe(expected));
});
