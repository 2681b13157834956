import { describe, expect, it } from '@jest/globals';
import { COMMON_ATTRIBUTES, ENTERPRISE_USER_SCHEMA, enterpriseUserSchema, userSchema } from '../schemas/index.js';
import type { ResourceContext } from '../validation/resource-context.js';
import { indexedValuesOf } from './indexed-values.js';

const users: ResourceContext = {
  coreSchema: userSchema,
  extensions: [{ schema: enterpriseUserSchema, required: false }],
  commonAttributes: COMMON_ATTRIBUTES,
};
const ENT = ENTERPRISE_USER_SCHEMA.toLowerCase();

describe('indexedValuesOf', () => {
  const rows = indexedValuesOf(
    {
      schemas: ['x'],
      id: 'ID-1',
      userName: 'Alice@Example.COM',
      displayName: '',
      active: false,
      password: 'never-indexed',
      name: { givenName: 'Alice' },
      emails: [{ value: 'Home@x.org', type: 'home' }, { value: 'work@x.org', type: 'work', primary: true }, {}],
      meta: { created: '2024-01-01T00:00:00Z' },
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'M-1' } },
    },
    users,
  );
  const find = (attr: string, sub = '') => rows.filter((row) => row.attr === attr && row.sub === sub);

  it('folds values that are not caseExact and keeps caseExact ones', () => {
    expect(find('username')).toEqual([{ attr: 'username', sub: '', element: 0, text: 'alice@example.com', num: null }]);
    expect(find('id')[0]?.text).toBe('ID-1');
    expect(find(`${ENT}:manager`, 'value')[0]?.text).toBe('m-1');
  });

  it('gives the primary element number 0 and every element a marker saying whether it holds anything', () => {
    expect(find('emails', 'value').map((row) => [row.element, row.text])).toEqual([
      [0, 'work@x.org'],
      [1, 'home@x.org'],
    ]);
    expect(find('emails', '*').map((row) => [row.element, row.num])).toEqual([
      [0, 1],
      [1, 1],
      [2, 0],
    ]);
    expect(find('name', '*')).toEqual([{ attr: 'name', sub: '*', element: 0, text: null, num: 1 }]);
  });

  it('stores booleans as words and leaves out empty values, meta, schemas and never-returned attributes', () => {
    expect(find('active')[0]?.text).toBe('false');
    expect(find('displayname')).toEqual([]);
    expect(rows.some((row) => ['password', 'meta', 'schemas'].includes(row.attr))).toBe(false);
    expect(JSON.stringify(rows)).not.toContain('never-indexed');
  });
});
