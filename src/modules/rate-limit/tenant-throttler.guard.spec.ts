import { rateLimitHeaders } from './tenant-rate-limiter.js';
import { requestKindOf } from './tenant-throttler.guard.js';

describe('requestKindOf', () => {
  it.each([
    ['GET', '/scim/v2/Users/1', 'read'],
    ['HEAD', '/scim/v2/Users', 'read'],
    ['POST', '/scim/v2/.search', 'read'],
    ['POST', '/scim/v2/Users/.search?x=1', 'read'],
    ['POST', '/scim/v2/Users', 'write'],
    ['PUT', '/scim/v2/Users/1', 'write'],
    ['PATCH', '/scim/v2/Users/1', 'write'],
    ['DELETE', '/scim/v2/Users/1', 'write'],
    ['PATCH', '/scim/v2/Users/.search', 'write'],
  ])('classifies %s %s as a %s', (method, url, kind) => expect(requestKindOf({ method, url })).toBe(kind));
});

describe('rateLimitHeaders', () => {
  it.each([
    [5, 1, '4'],
    [5, 5, '0'],
    [5, 6, '0'],
    [5, 60, '0'],
  ])('with a limit of %i after %i requests leaves %s', (limit, hits, remaining) =>
    expect(rateLimitHeaders(limit, hits)).toEqual({ 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': remaining }),
  );
});
