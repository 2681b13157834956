import { positionalSql, sqliteNamedSql } from './sql-placeholders.js';

describe('positionalSql', () => {
  it.each<[string, string[], string, string[]]>([
    ['SELECT 1 WHERE a = :x AND b = :y', ['x', 'y'], 'SELECT 1 WHERE a = $1 AND b = $2', ['x', 'y']],
    ['a = :x OR b = :x', ['x'], 'a = $1 OR b = $1', ['x']],
    ['a = :y AND b = :x AND c = :y', ['x', 'y'], 'a = $1 AND b = $2 AND c = $1', ['y', 'x']],
    ["a = ':x' AND b = :x", ['x'], "a = ':x' AND b = $1", ['x']],
    ["a = 'it''s :x' AND b = :x", ['x'], "a = 'it''s :x' AND b = $1", ['x']],
    ['"col:x" = :x', ['x'], '"col:x" = $1', ['x']],
    ['a::text = :x', ['x', 'text'], 'a::text = $1', ['x']],
    ['a = :unknown AND b = :x', ['x'], 'a = :unknown AND b = $1', ['x']],
    ['a = :x0 AND b = :x', ['x', 'x0'], 'a = $1 AND b = $2', ['x0', 'x']],
    ["unterminated ':x", ['x'], "unterminated ':x", []],
  ])('%s', (sql, known, text, names) => {
    expect(positionalSql(sql, new Set(known))).toEqual({ text, names });
  });
});

describe('sqliteNamedSql', () => {
  it.each([
    ['a = $1 AND b = $2 AND c = $1', 'a = @p1 AND b = @p2 AND c = @p1'],
    ["json_extract(d, '$1') = $1", "json_extract(d, '$1') = @p1"],
    ['a = $10', 'a = @p10'],
  ])('%s', (sql, expected) => {
    expect(sqliteNamedSql(sql)).toBe(expected);
  });
});
