import { outcomeOf, scimOperationOf } from './scim-operation.js';

const typeAt = (endpoint: string) => ({ '/Users': 'User', '/Groups': 'Group', '/Libraries': 'Library' })[endpoint];

describe('scimOperationOf', () => {
  it.each([
    ['/scim/v2/Users', 'GET', 200, { resourceType: 'User', operation: 'list', outcome: 'success' }],
    ['/scim/v2/Users', 'POST', 201, { resourceType: 'User', operation: 'create', outcome: 'success' }],
    ['/scim/v2/Users/.search', 'POST', 200, { resourceType: 'User', operation: 'search', outcome: 'success' }],
    ['/scim/v2/Groups/:id', 'GET', 304, { resourceType: 'Group', operation: 'get', outcome: 'not_modified' }],
    ['/scim/v2/Groups/:id', 'PUT', 412, { resourceType: 'Group', operation: 'replace', outcome: 'precondition_failed' }],
    ['/scim/v2/Groups/:id', 'PATCH', 204, { resourceType: 'Group', operation: 'patch', outcome: 'success' }],
    ['/scim/v2/Users/:id', 'DELETE', 404, { resourceType: 'User', operation: 'delete', outcome: 'not_found' }],
    ['/scim/v2/Libraries/:id', 'GET', 503, { resourceType: 'Library', operation: 'get', outcome: 'unavailable' }],
    ['/scim/v2/.search', 'POST', 400, { resourceType: '*', operation: 'search', outcome: 'invalid' }],
    ['/scim/v2/Bulk', 'POST', 200, { resourceType: 'Bulk', operation: 'bulk', outcome: 'success' }],
  ])('%s %s %d is an operation', (route, method, status, operation) => {
    expect(scimOperationOf(route, method, status, typeAt)).toEqual(operation);
  });

  it.each([
    ['/scim/v2/ServiceProviderConfig', 'GET'],
    ['/scim/v2/Schemas/:id', 'GET'],
    ['/scim/v2/Me', 'GET'],
    ['/scim/v2/*', 'DELETE'],
    ['/admin/tenants', 'POST'],
    ['unmatched', 'GET'],
  ])('%s %s is no SCIM operation', (route, method) => {
    expect(scimOperationOf(route, method, 200, typeAt)).toBeNull();
  });

  it.each([
    [200, 'success'],
    [201, 'success'],
    [409, 'conflict'],
    [429, 'rate_limited'],
    [418, 'client_error'],
    [500, 'server_error'],
  ])('status %d is outcome %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});
