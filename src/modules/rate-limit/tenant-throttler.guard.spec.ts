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
