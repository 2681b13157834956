import { describe, expect, it } from '@jest/globals';
import { parseOperations } from './patch-operation.js';
import { scimTypeOf } from '../../../test/support/scim-type-of.js';

describe('parseOperations', () => {
  it.each([
    [{ op: 'Add', path: 'title', value: 'x' }, { op: 'add', path: 'title', value: 'x' }],
    [{ op: 'REPLACE', value: { title: 'x' } }, { op: 'replace', value: { title: 'x' } }],
    [{ op: 'remove', path: 'title' }, { op: 'remove', path: 'title' }],
    [{ Op: 'replace', Path: 'active', Value: 'False' }, { op: 'replace', path: 'active', value: 'False' }],
    [{ op: 'replace', path: 'title', value: null }, { op: 'replace', path: 'title', value: null }],
  ])('reads %j', (raw, expected) => {
    expect(parseOperations([raw])).toEqual([expected]);
  });

  it.each([
    ['no operations', []],
    ['a non-object operation', ['add']],
    ['an array operation', [[]]],
    ['null', [null]],
    ['an unknown op', [{ op: 'copy', path: 'title', value: 'x' }]],
    ['a missing op', [{ path: 'title', value: 'x' }]],
    ['a numeric op', [{ op: 1, path: 'title', value: 'x' }]],
    ['add without value', [{ op: 'add', path: 'title' }]],
    ['replace without value', [{ op: 'replace', path: 'title' }]],
    ['a numeric path', [{ op: 'remove', path: 3 }]],
  ])('rejects %s with invalidSyntax', (_name, operations) => {
    expect(scimTypeOf(() => parseOperations(operations))).toBe('invalidSyntax');
  });

  it('returns tooMany over the operation limit', () => {
    const op = { op: 'remove', path: 'title' };
    expect(parseOperations([op, op], 2)).toHaveLength(2);
    expect(scimTypeOf(() => parseOperations([op, op, op], 2))).toBe('tooMany');
    expect(scimTypeOf(() => parseOperations(Array.from({ length: 1001 }, () => op)))).toBe('tooMany');
  });
});
