import { describe, expect, it } from '@jest/globals';
import { referencedBulkIds, resolveReferences } from './bulk-references.js';
import type { BulkOperation } from './bulk-request.js';
import { type BulkOutcome, runBulk } from './run-bulk.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const post = (bulkId: string, data: unknown = {}): BulkOperation => ({ method: 'POST', path: '/Users', bulkId, data });

/** Runs a request against a fake service that creates `id-<bulkId>`, fails the bulkIds in `failing`, and records what it ran. */
async function run(operations: BulkOperation[], failOnErrors?: number, failing: string[] = []) {
  const ran: BulkOperation[] = [];
  const response = await runBulk({ operations, ...(failOnErrors === undefined ? {} : { failOnErrors }) }, async (operation): Promise<BulkOutcome> => {
    ran.push(operation);
    if (operation.bulkId !== undefined && failing.includes(operation.bulkId)) {
      return { status: 400, error: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'refused' } };
    }
    return operation.method === 'POST' ? { status: 201, createdId: `id-${operation.bulkId}`, version: 'W/"1"' } : { status: 200 };
  });
  return { ran, response: response.Operations };
}

describe('bulkId references (RFC 7644 §3.7.2)', () => {
  it('finds them in the path, in any value, and in an enterprise manager given as a plain id', () => {
    const operation: BulkOperation = {
      method: 'PATCH',
      path: '/Groups/bulkId:g',
      data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:a' }, { value: 'plain' }] }] },
    };
    expect(referencedBulkIds(operation)).toEqual(['g', 'a']);
    expect(referencedBulkIds(post('u', { [ENTERPRISE]: { manager: 'bulkId:m' }, displayName: 'bulkId:not-a-reference' }))).toEqual(['m']);
  });

  it('replaces each with the id its POST created, leaving other strings alone', () => {
    const operation = post('u', { members: [{ value: 'bulkId:a' }], [ENTERPRISE]: { manager: { value: 'bulkId:b' } }, nickName: 'bulkId:a' });
    expect(resolveReferences(operation, new Map([['a', 'A1'], ['b', 'B1']])).data).toEqual({
      members: [{ value: 'A1' }],
      [ENTERPRISE]: { manager: { value: 'B1' } },
      nickName: 'bulkId:a',
    });
    expect(resolveReferences({ method: 'DELETE', path: '/Users/bulkId:a' }, new Map([['a', 'A1']])).path).toBe('/Users/A1');
  });
});

describe('runBulk (RFC 7644 §3.7)', () => {
  it('runs a reference to a later POST after it, and answers in request order', async () => {
    const group = post('g', { displayName: 'G', members: [{ value: 'bulkId:u' }] });
    const { ran, response } = await run([group, post('u')]);
    expect(ran.map((operation) => operation.bulkId)).toEqual(['u', 'g']);
    expect(ran[1].data).toEqual({ displayName: 'G', members: [{ value: 'id-u' }] });
    expect(response.map((operation) => [operation.bulkId, operation.status])).toEqual([
      ['g', '201'],
      ['u', '201'],
    ]);
  });

  it('fails with 409 a reference to an unknown bulkId and one to a failed operation, and runs the rest', async () => {
    const { ran, response } = await run([post('a', { manager: { value: 'bulkId:nobody' } }), post('b'), post('c', { members: [{ value: 'bulkId:b' }] }), post('d')], undefined, ['b']);
    expect(ran.map((operation) => operation.bulkId)).toEqual(['b', 'd']);
    expect(response.map((operation) => [operation.bulkId, operation.status])).toEqual([
      ['a', '409'],
      ['b', '400'],
      ['c', '409'],
      ['d', '201'],
    ]);
    expect(response[0].response?.detail).toContain('"nobody" is created by no POST');
    expect(response[2].response?.detail).toContain('bulkId "b" failed');
  });

  it('fails a cycle with 409 and runs nothing of it', async () => {
    const { ran, response } = await run([post('a', { members: [{ value: 'bulkId:b' }] }), post('b', { members: [{ value: 'bulkId:a' }] }), post('c')]);
    expect(ran.map((operation) => operation.bulkId)).toEqual(['c']);
    expect(response.map((operation) => operation.status)).toEqual(['409', '409', '201']);
    expect(response[0].response?.detail).toContain('cycle');
  });

  it('stops after failOnErrors errors and leaves what did not run out of the answer', async () => {
    const { ran, response } = await run([post('a'), post('b'), post('c'), post('d')], 2, ['a', 'b']);
    expect(ran.map((operation) => operation.bulkId)).toEqual(['a', 'b']);
    expect(response.map((operation) => [operation.bulkId, operation.status])).toEqual([
      ['a', '400'],
      ['b', '400'],
    ]);
  });
});
