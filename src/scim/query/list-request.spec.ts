import { describe, expect, it } from '@jest/globals';
import { scimTypeOf } from '../../../test/support/scim-type-of.js';
import { DEFAULT_PAGE_SIZE, listRequestFromQuery, listRequestFromSearchBody, MAX_PAGE_SIZE, MAX_START_INDEX, SEARCH_REQUEST_SCHEMA } from './list-request.js';

describe('list requests from query parameters (RFC 7644 §3.4.2)', () => {
  it('defaults to index pages of the default size, ascending', () => {
    expect(listRequestFromQuery({})).toEqual({ sortOrder: 'ascending', page: { kind: 'index', startIndex: 1, count: DEFAULT_PAGE_SIZE } });
  });

  it.each([
    [{ startIndex: '0' }, { kind: 'index', startIndex: 1, count: DEFAULT_PAGE_SIZE }],
    [{ startIndex: '-4', count: '-1' }, { kind: 'index', startIndex: 1, count: 0 }],
    [{ count: '0' }, { kind: 'index', startIndex: 1, count: 0 }],
    [{ count: '99999' }, { kind: 'index', startIndex: 1, count: MAX_PAGE_SIZE }],
    [{ count: '99999999999999999999' }, { kind: 'index', startIndex: 1, count: MAX_PAGE_SIZE }],
    [{ count: '-99999999999999999999' }, { kind: 'index', startIndex: 1, count: 0 }],
    [{ count: '9'.repeat(400) }, { kind: 'index', startIndex: 1, count: MAX_PAGE_SIZE }],
    [{ startIndex: '-99999999999999999999' }, { kind: 'index', startIndex: 1, count: DEFAULT_PAGE_SIZE }],
    [{ startIndex: '99999999999999999999' }, { kind: 'index', startIndex: MAX_START_INDEX, count: DEFAULT_PAGE_SIZE }],
    [{ startIndex: ' +7 ', count: '+3' }, { kind: 'index', startIndex: 7, count: 3 }],
    [{ cursor: '' }, { kind: 'cursor', cursor: '', count: DEFAULT_PAGE_SIZE }],
    [{ CURSOR: 'abc', Count: '5' }, { kind: 'cursor', cursor: 'abc', count: 5 }],
  ])('reads %j as page %j', (query, page) => {
    expect(listRequestFromQuery(query).page).toEqual(page);
  });

  it('reads sortBy, sortOrder in any case, filter and attribute lists', () => {
    expect(listRequestFromQuery({ sortby: ' userName ', sortOrder: 'DESCENDING', filter: 'userName pr', attributes: 'userName' })).toEqual({
      filter: 'userName pr',
      sortBy: 'userName',
      sortOrder: 'descending',
      page: { kind: 'index', startIndex: 1, count: DEFAULT_PAGE_SIZE },
      attributes: 'userName',
    });
  });

  it('takes the first spelling of a name given in two cases, and lists the members in one order', () => {
    const request = listRequestFromQuery({ Filter: 'userName pr', filter: 'title pr', excludedAttributes: 'groups', SORTBY: 'title', sortBy: 'userName' });
    expect(request.filter).toBe('userName pr');
    expect(request.sortBy).toBe('title');
    expect(Object.keys(request)).toEqual(['filter', 'sortBy', 'sortOrder', 'page', 'excludedAttributes']);
  });

  it.each([
    ['a non-integer count', { count: '1.5' }],
    ['a word for startIndex', { startIndex: 'first' }],
    ['an exponent for count', { count: '1e3' }],
    ['a hex count', { count: '0x10' }],
    ['an empty count', { count: '' }],
    ['a count with a NUL', { count: '1\u0000' }],
    ['an unknown sortOrder', { sortOrder: 'up' }],
    ['startIndex with cursor', { startIndex: '1', cursor: '' }],
    ['a repeated parameter', { filter: ['a pr', 'b pr'] }],
  ])('refuses %s as invalidValue', (_label, query) => {
    expect(scimTypeOf(() => listRequestFromQuery(query))).toBe('invalidValue');
  });
});

describe('list requests from a SearchRequest body (RFC 7644 §3.4.3)', () => {
  it('reads numbers, attribute arrays and the cursor', () => {
    expect(
      listRequestFromSearchBody({ schemas: [SEARCH_REQUEST_SCHEMA], attributes: ['userName', 'emails.value'], count: 10, cursor: '', filter: 'x pr' }),
    ).toEqual({ filter: 'x pr', sortOrder: 'ascending', page: { kind: 'cursor', cursor: '', count: 10 }, attributes: 'userName,emails.value' });
  });

  it.each([
    [{ count: 1e20, startIndex: -1e20 }, { kind: 'index', startIndex: 1, count: MAX_PAGE_SIZE }],
    [{ count: -1e20, startIndex: 1e20 }, { kind: 'index', startIndex: MAX_START_INDEX, count: 0 }],
    [{ count: JSON.parse('1e400') as number, startIndex: JSON.parse('-1e400') as number }, { kind: 'index', startIndex: 1, count: MAX_PAGE_SIZE }],
    [{ count: '99999999999999999999' }, { kind: 'index', startIndex: 1, count: MAX_PAGE_SIZE }],
  ])('reads %j as page %j (RFC 7644 §3.4.2.4)', (numbers, page) => {
    expect(listRequestFromSearchBody({ schemas: [SEARCH_REQUEST_SCHEMA], ...numbers }).page).toEqual(page);
  });

  it.each([
    ['a body that is not an object', [], 'invalidSyntax'],
    ['a body without the SearchRequest schema', { filter: 'x pr' }, 'invalidSyntax'],
    ['a filter that is not a string', { schemas: [SEARCH_REQUEST_SCHEMA], filter: 5 }, 'invalidValue'],
    ['a fractional count', { schemas: [SEARCH_REQUEST_SCHEMA], count: 2.5 }, 'invalidValue'],
    ['a boolean startIndex', { schemas: [SEARCH_REQUEST_SCHEMA], startIndex: true }, 'invalidValue'],
    ['a word for count', { schemas: [SEARCH_REQUEST_SCHEMA], count: 'many' }, 'invalidValue'],
    ['attributes that are not strings', { schemas: [SEARCH_REQUEST_SCHEMA], attributes: [1] }, 'invalidValue'],
    ['an attribute name with a comma', { schemas: [SEARCH_REQUEST_SCHEMA], attributes: ['a,b'] }, 'invalidValue'],
  ])('refuses %s', (_label, body, scimType) => {
    expect(scimTypeOf(() => listRequestFromSearchBody(body))).toBe(scimType);
  });
});
