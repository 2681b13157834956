import { describe, expect, it } from '@jest/globals';
import { compareCodePoints, jsonRowsAggregate, parseJsonRows } from './json-rows.js';

const BY_NAME = { columns: ['g.id', 'g.display_name'], orderBy: ['g.display_name_key', 'g.id'] };

describe('jsonRowsAggregate', () => {
  it('selects the value columns, then the keys that are not among them, with no ORDER BY inside the aggregate', () => {
    expect(jsonRowsAggregate(BY_NAME, false)).toBe('json_group_array(json_array(g.id, g.display_name, g.display_name_key))');
    expect(jsonRowsAggregate(BY_NAME, true)).toBe('json_agg(json_build_array(g.id, g.display_name, g.display_name_key))');
  });
});

describe('parseJsonRows', () => {
  it('orders rows by their keys, the first key first, from SQLite text and from PostgreSQL arrays alike', () => {
    // Ties on the name key fall to the id, which is a value column (the first).
    const rows = [
      ['g3', 'beta', 'beta'],
      ['g2', 'Alpha', 'alpha'],
      ['g1', 'alpha', 'alpha'],
    ];
    const expected = [rows[2], rows[1], rows[0]];
    expect(parseJsonRows(JSON.stringify(rows), BY_NAME)).toEqual(expected);
    expect(parseJsonRows(structuredClone(rows), BY_NAME)).toEqual(expected);
  });

  it('answers no rows for SQL NULL (PostgreSQL) and [] (SQLite), and leaves rows without keys in their order', () => {
    expect(parseJsonRows(null, BY_NAME)).toEqual([]);
    expect(parseJsonRows('[]', BY_NAME)).toEqual([]);
    expect(parseJsonRows('[["b"],["a"]]', { columns: ['name'], orderBy: [] })).toEqual([['b'], ['a']]);
  });
});

describe('compareCodePoints', () => {
  it('orders as UTF-8 bytes do (SQLite BINARY, PostgreSQL "C"), unlike UTF-16 code units above U+FFFF', () => {
    const astral = '\u{1F600}'; // a surrogate pair in UTF-16, F0 9F 98 80 in UTF-8
    const privateUse = '\uE000'; // EE 80 80 in UTF-8
    expect(astral < privateUse).toBe(true); // JavaScript's own order
    expect(compareCodePoints(astral, privateUse)).toBeGreaterThan(0);
    const words = ['b', 'a', 'ab', '', 'é', 'Z', astral, privateUse, 'a\u0000'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareCodePoints)).toEqual(byBytes);
  });
});
