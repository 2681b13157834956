import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ScimError } from '../errors.js';
import { type Filter, and, co, eq, ew, ge, gt, le, lt, ne, not, or, pr, sw, valuePath } from './ast.js';
import { parseFilter } from './parser.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('parseFilter', () => {
  it.each<[string, Filter]>([
    // precedence: not > and > or, left-associative
    ['a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
    ['a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
    ['a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
    ['a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['not (a pr) and b pr', and(not(pr('a')), pr('b'))],
    ['a pr and not (b pr or c pr)', and(pr('a'), not(or(pr('b'), pr('c'))))],
    ['not(a pr)', not(pr('a'))],
    ['NOT (a pr) OR b pr', or(not(pr('a')), pr('b'))],
    ['(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
    ['((a pr))', pr('a')],
    ['a pr AnD b pr oR c pr', or(and(pr('a'), pr('b')), pr('c'))],
    // every operator, in mixed case
    ['userName eq "x"', eq('userName', 'x')],
    ['userName EQ "x"', eq('userName', 'x')],
    ['userName Ne "x"', ne('userName', 'x')],
    ['userName cO "x"', co('userName', 'x')],
    ['userName SW "x"', sw('userName', 'x')],
    ['userName eW "x"', ew('userName', 'x')],
    ['meta.lastModified GT "2024-01-01T00:00:00Z"', gt('meta.lastModified', '2024-01-01T00:00:00Z')],
    ['meta.lastModified Ge "2024-01-01T00:00:00Z"', ge('meta.lastModified', '2024-01-01T00:00:00Z')],
    ['x lT 5', lt('x', 5)],
    ['x LE 5', le('x', 5)],
    ['title PR', pr('title')],
    // attribute paths
    ['name.familyName eq "O\'Hara"', eq('name.familyName', "O'Hara")],
    [`${CORE_USER}:name.familyName eq "x"`, eq({ uri: CORE_USER, attr: 'name', sub: 'familyName' }, 'x')],
    [`${CORE_USER}:userName sw "J"`, sw({ uri: CORE_USER, attr: 'userName' }, 'J')],
    [`${ENTERPRISE}:manager.value eq "26"`, eq({ uri: ENTERPRISE, attr: 'manager', sub: 'value' }, '26')],
    [`${ENTERPRISE}:employeeNumber pr`, pr({ uri: ENTERPRISE, attr: 'employeeNumber' })],
    ['members.$ref eq "https://x/Users/1"', eq({ attr: 'members', sub: '$ref' }, 'https://x/Users/1')],
    ['$ref pr', pr('$ref')],
    ['UserName eq "x"', eq('UserName', 'x')],
    // value paths
    ['emails[type eq "work"]', valuePath('emails', eq('type', 'work'))],
    ['emails[type eq "work" and value co "@example.com"]', valuePath('emails', and(eq('type', 'work'), co('value', '@example.com')))],
    ['emails[not (type eq "work")]', valuePath('emails', not(eq('type', 'work')))],
    ['members[$ref pr]', valuePath('members', pr('$ref'))],
    [`${CORE_USER}:emails[primary eq true]`, valuePath({ uri: CORE_USER, attr: 'emails' }, eq('primary', true))],
    [
      'emails[type eq "work"].value eq "a@b.c"',
      valuePath('emails', and(eq('type', 'work'), eq('value', 'a@b.c'))),
    ],
    ['emails[type eq "work"].value pr', valuePath('emails', and(eq('type', 'work'), pr('value')))],
    [
      'emails[type eq "work" or primary eq true].value ew "@b.c"',
      valuePath('emails', and(or(eq('type', 'work'), eq('primary', true)), ew('value', '@b.c'))),
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(eq('userType', 'Employee'), valuePath('emails', and(eq('type', 'work'), co('value', '@example.com')))),
    ],
    // string escapes
    ['a eq "say \\"hi\\""', eq('a', 'say "hi"')],
    ['a eq "back\\\\slash"', eq('a', 'back\\slash')],
    ['a eq "caf\\u00e9"', eq('a', 'café')],
    ['a eq "caf\\u00E9"', eq('a', 'café')],
    ['a eq "\\ud83d\\ude00"', eq('a', '\u{1F600}')],
    ['a eq "\\/\\b\\f\\n\\r\\t"', eq('a', '/\b\f\n\r\t')],
    ['a eq "café ☕"', eq('a', 'café ☕')],
    ['a eq ""', eq('a', '')],
    ['a eq "a and b or not (c)"', eq('a', 'a and b or not (c)')],
    // numbers and keywords
    ['a eq 0', eq('a', 0)],
    ['a eq -1', eq('a', -1)],
    ['a gt 1.5', gt('a', 1.5)],
    ['a lt 1e3', lt('a', 1000)],
    ['a lt -2.5E-1', lt('a', -0.25)],
    ['a eq true', eq('a', true)],
    ['a eq FALSE', eq('a', false)],
    ['a eq Null', eq('a', null)],
    // whitespace
    ['  a  pr  ', pr('a')],
    ['a eq "x"\tand\nb pr', and(eq('a', 'x'), pr('b'))],
  ])('parses %s', (src, ast) => expect(parseFilter(src)).toEqual(ast));

  it.each<[string, string, string]>([
    ['empty', '', 'filter is empty at offset 0'],
    ['blank', '   ', 'filter is empty at offset 0'],
    ['unterminated string', 'userName eq "abc', 'unterminated string at offset 12'],
    ['unterminated string ending in a backslash', 'userName eq "abc\\', 'unterminated string at offset 12'],
    ['missing value', 'userName eq', 'expected a value after "eq", found the end of the filter at offset 11'],
    ['missing value before and', 'userName eq and b pr', 'expected a value after "eq", found "and" at offset 12'],
    ['attribute name as value', 'userName eq bob', 'expected a value after "eq", found "bob" at offset 12'],
    ['missing operator', 'userName', 'expected an operator after "userName", found the end of the filter at offset 8'],
    ['unknown operator', 'userName like "x"', 'unknown operator "like" at offset 9'],
    ['symbolic operator', 'userName = "x"', 'unexpected character "=" at offset 9'],
    ['trailing tokens', 'userName eq "x" "y"', 'found the string "y" at offset 16'],
    ['trailing attribute', 'a pr b pr', 'expected "and", "or" or the end of the filter, found "b" at offset 5'],
    ['dangling and', 'a pr and', 'expected an attribute name, "(" or "not", found the end of the filter at offset 8'],
    ['unclosed parenthesis', '(a pr', '"(" is never closed at offset 0'],
    ['unopened parenthesis', 'a pr)', 'found ")" at offset 4'],
    ['not without parentheses', 'not a pr', 'expected "(" after "not" at offset 4'],
    ['empty parentheses', '()', 'found ")" at offset 1'],
    ['nested brackets', 'emails[type[value eq "x"] pr]', 'brackets cannot nest inside a value filter at offset 11'],
    ['unclosed bracket', 'emails[type eq "work"', '"[" is never closed at offset 6'],
    ['bracket after sub-attribute', 'name.givenName[value pr]', 'must follow an attribute'],
    ['dotted path inside brackets', 'emails[x.type eq "work"]', 'inside "[...]" name a sub-attribute'],
    ['space before the Entra sub-attribute', 'emails[type eq "work"] .value eq "x"', 'found "." at offset 23'],
    ['Entra sub-attribute without condition', 'emails[type eq "work"].value', 'expected an operator after "value"'],
    ['pr followed by a value', 'title pr "x"', '"pr" takes no value at offset 9'],
    ['pr followed by true', 'title pr true', '"pr" takes no value at offset 9'],
    ['bad escape', 'a eq "\\x"', 'bad escape "\\\\x" in string at offset 6'],
    ['short unicode escape', 'a eq "\\u12"', 'bad \\u escape: it needs four hex digits at offset 6'],
    ['raw control character', 'a eq "x\u0001"', 'unescaped control character in string at offset 7'],
    ['a raw NUL', 'a eq "x\u0000"', 'unescaped control character in string at offset 7'],
    ['an escaped NUL', 'a eq "x\\u0000y"', 'a string may not hold U+0000 or an unpaired surrogate at offset 5'],
    ['an escaped unpaired surrogate', 'a eq "\\ud800"', 'a string may not hold U+0000 or an unpaired surrogate at offset 5'],
    ['an escaped surrogate pair the wrong way round', 'a eq "\\ude00\\ud83d"', 'a string may not hold U+0000 or an unpaired surrogate at offset 5'],
    ['bad number', 'a eq 1.2.3', 'invalid number "1.2.3" at offset 5'],
    ['leading zero', 'a eq 01', 'invalid number "01" at offset 5'],
    ['number glued to a name', 'a eq 1abc', 'invalid number "1abc" at offset 5'],
    ['bad attribute name', 'a-b.9c pr', 'bad sub-attribute name "9c" at offset 4'],
    ['empty name after URN', 'urn:x:y: pr', 'bad attribute name "" at offset 8'],
    ['single quotes', "a eq 'x'", 'unexpected character "\'" at offset 5'],
    ['too long', `a eq "${'x'.repeat(100_000)}"`, 'filter is 100007 characters long, over the limit of 4096 at offset 4096'],
  ])('rejects %s', (_name, src, detail) => {
    const error = captureError(() => parseFilter(src));
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect((error as ScimError).detail).toContain(detail);
  });

  it('names the offset and an excerpt of the text around it', () => {
    expect(() => parseFilter('userName eq "a" and emails[type eq work]')).toThrow(
      'expected a value after "eq", found "work" at offset 35, near "…ils[type eq work]"',
    );
  });

  it.each<[string, string, number]>([
    ['10,000 parentheses', '('.repeat(10_000), 32],
    ['10,000 nots', 'not ('.repeat(10_000), 32],
    ['33 parentheses at depth 32', `${'('.repeat(33)}a pr${')'.repeat(33)}`, 32],
    ['a bracket one level too deep', '((emails[type pr]))', 2],
  ])('rejects %s as too deep, quickly and without overflowing the stack', (_name, src, maxDepth) => {
    const started = Date.now();
    expect(() => parseFilter(src, { maxLength: 1_000_000, maxDepth })).toThrow(`filter nests deeper than ${maxDepth} levels`);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('accepts nesting up to the limit', () => {
    expect(parseFilter(`${'('.repeat(32)}a pr${')'.repeat(32)}`)).toEqual(pr('a'));
  });

  it('rejects a 100 KB filter before reading it', () => {
    const started = Date.now();
    expect(() => parseFilter('('.repeat(100_000))).toThrow('over the limit of 4096');
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('parseFilter on arbitrary input', () => {
  // Pieces of filters, so that random joins reach deep into the grammar.
  const fragments = ['a', 'emails', '.', 'value', 'urn:x:y:', '$ref', ' ', '(', ')', '[', ']', '"', '\\', '\\u00'];
  const keywords = ['not', 'and', 'or', 'eq', 'pr', 'gt', '1', '-', 'e', 'true', 'null', '"x"', ':'];
  it('either returns an AST or throws invalidFilter', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments, ...keywords), { maxLength: 40 }), (parts) => {
        try {
          parseFilter(parts.join(''));
        } catch (error) {
          expect(error).toBeInstanceOf(ScimError);
          expect(error).toMatchObject({ scimType: 'invalidFilter' });
        }
      }),
      { numRuns: 3000 },
    );
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
