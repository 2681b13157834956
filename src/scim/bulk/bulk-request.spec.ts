import { describe, expect, it } from '@jest/globals';
import { ScimError } from '../errors.js';
import { BULK_REQUEST_SCHEMA, readBulkRequest } from './bulk-request.js';

const bulk = (operations: unknown, extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST_SCHEMA], Operations: operations, ...extra });
const post = (bulkId: string) => ({ method: 'POST', path: '/Users', bulkId, data: { userName: bulkId } });

function refusal(body: unknown, maxOperations = 10): { status: number; scimType?: string; detail: string } {
  try {
    readBulkRequest(body, maxOperations);
  } catch (error) {
    if (error instanceof ScimError) return { status: error.status, ...(error.scimType === undefined ? {} : { scimType: error.scimType }), detail: error.detail };
    throw error;
  }
  throw new Error('accepted');
}

describe('readBulkRequest (RFC 7644 §3.7)', () => {
  it('reads operations in order, methods in any case, with bulkId, version and data', () => {
    const request = readBulkRequest(
      bulk([post('u1'), { method: 'patch', path: '/Users/bulkId:u1', version: 'W/"1"', data: { Operations: [] } }, { method: 'Delete', path: '/Groups/g' }], { failOnErrors: 2 }),
      10,
    );
    expect(request).toEqual({
      failOnErrors: 2,
      operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { userName: 'u1' } },
        { method: 'PATCH', path: '/Users/bulkId:u1', version: 'W/"1"', data: { Operations: [] } },
        { method: 'DELETE', path: '/Groups/g' },
      ],
    });
  });

  it.each([
    ['no BulkRequest schema', { Operations: [post('a')] }, 400, 'invalidSyntax', 'BulkRequest'],
    ['an empty Operations', bulk([]), 400, 'invalidSyntax', 'non-empty'],
    ['more operations than maxOperations (§3.7.4)', bulk([post('a'), post('b'), post('c')]), 413, undefined, 'at most 2 operations'],
    ['an unknown method', bulk([{ method: 'GET', path: '/Users' }]), 400, 'invalidValue', 'Operations[0]: "method"'],
    ['a path that is not a string', bulk([{ method: 'DELETE', path: 7 }]), 400, 'invalidValue', '"path"'],
    ['a POST without bulkId', bulk([{ method: 'POST', path: '/Users', data: {} }]), 400, 'invalidValue', 'needs a "bulkId"'],
    ['a PUT without data', bulk([{ method: 'PUT', path: '/Users/1' }]), 400, 'invalidValue', 'needs "data"'],
    ['a bulkId used twice', bulk([post('a'), post('a')]), 400, 'invalidValue', 'more than one operation'],
    ['failOnErrors of 0', bulk([post('a')], { failOnErrors: 0 }), 400, 'invalidValue', 'failOnErrors'],
    ['a version that is not a string', bulk([{ method: 'DELETE', path: '/Users/1', version: 3 }]), 400, 'invalidValue', '"version"'],
  ])('refuses %s', (_name, body, status, scimType, detail) => {
    const error = refusal(body, 2);
    expect(error.status).toBe(status);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toContain(detail);
  });
});
