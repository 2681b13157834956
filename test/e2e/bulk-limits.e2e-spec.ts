import { databaseKinds } from '../support/databases.js';
import type { HttpResponse } from '../support/http-client.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { BULK_REQUEST, ERROR_SCHEMA, newBulkTenant, postUser, statusesOf, type BulkTenant } from '../support/scim-bulk.js';
import { PATCH_OP, USER_SCHEMA } from '../support/scim-users.js';

// Small enough that a test crosses them; the defaults are 1,000 operations and 1 MiB.
const MAX_OPERATIONS = 5;
const BODY_LIMIT = 16 * 1024;

function expectScimError(response: HttpResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), detail: expect.any(String) });
}

describe.each(databaseKinds())('Bulk limits and malformed requests on %s', (kind) => {
  let roster: RosterHarness;

  beforeAll(async () => {
    roster = await startRoster(kind, { bulkMaxOperations: MAX_OPERATIONS, bodyLimitBytes: BODY_LIMIT });
  });
  afterAll(() => roster.close());

  /** Proof that a refused request ran nothing: no user it named exists and no row changed. */
  const expectNothingStored = async (tenant: BulkTenant, rowsBefore: Record<string, number>, userNames: string[]): Promise<void> => {
    for (const userName of userNames) expect(await tenant.usersNamed(userName)).toEqual([]);
    expect(await tenant.rows()).toEqual(rowsBefore);
  };
  const users = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => postUser(`${prefix}-${i}`, { userName: `${prefix}-${i}` }));

  it('advertises bulk in the ServiceProviderConfig: supported, maxOperations, and maxPayloadSize = the body limit', async () => {
    const config = await roster.http.get<{ bulk: unknown }>('/scim/v2/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body.bulk).toEqual({ supported: true, maxOperations: MAX_OPERATIONS, maxPayloadSize: BODY_LIMIT });
  });

  it('runs a bulk of exactly maxOperations operations', async () => {
    const tenant = await newBulkTenant(roster);
    const response = await tenant.bulk(users('exact', MAX_OPERATIONS));
    expect(response.status).toBe(200);
    expect(statusesOf(response).map(([, status]) => status)).toEqual(Array(MAX_OPERATIONS).fill('201'));
    expect((await tenant.rows()).users).toBe(MAX_OPERATIONS);
  });

  it('refuses more operations than maxOperations with a 413 SCIM error naming the limit, and runs none', async () => {
    const tenant = await newBulkTenant(roster);
    const rowsBefore = await tenant.rows();
    const response = await tenant.bulk(users('over', MAX_OPERATIONS + 1));
    expectScimError(response, 413);
    expect((response.body as unknown as { detail: string }).detail).toContain(String(MAX_OPERATIONS));
    await expectNothingStored(tenant, rowsBefore, Array.from({ length: MAX_OPERATIONS + 1 }, (_, i) => `over-${i}`));
  });

  it('refuses a body over maxPayloadSize with a 413 SCIM error, and runs none of its operations', async () => {
    const tenant = await newBulkTenant(roster);
    const rowsBefore = await tenant.rows();
    const response = await tenant.bulk([
      postUser('small', { userName: 'small' }),
      postUser('large', { userName: 'large', displayName: 'x'.repeat(BODY_LIMIT) }),
    ]);
    expectScimError(response, 413);
    await expectNothingStored(tenant, rowsBefore, ['small', 'large']);
  });

  const valid = (userName: string) => postUser(userName, { userName });
  it.each<[string, (userName: string) => unknown]>([
    ['without the BulkRequest schema', (userName) => ({ schemas: [PATCH_OP], Operations: [valid(userName)] })],
    ['without schemas', (userName) => ({ Operations: [valid(userName)] })],
    ['with an empty Operations', () => ({ schemas: [BULK_REQUEST], Operations: [] })],
    ['without Operations', () => ({ schemas: [BULK_REQUEST] })],
    [
      'with a POST without bulkId',
      (userName) => ({ schemas: [BULK_REQUEST], Operations: [valid(userName), { method: 'POST', path: '/Users', data: { schemas: [USER_SCHEMA], userName: `${userName}-2` } }] }),
    ],
    [
      'with one bulkId on two operations',
      (userName) => ({ schemas: [BULK_REQUEST], Operations: [valid(userName), postUser(userName, { userName: `${userName}-2` })] }),
    ],
    ['with the method GET', (userName) => ({ schemas: [BULK_REQUEST], Operations: [valid(userName), { method: 'GET', path: '/Users' }] })],
    ['with an unknown method', (userName) => ({ schemas: [BULK_REQUEST], Operations: [valid(userName), { method: 'FETCH', path: '/Users', data: {} }] })],
    ['with an operation lacking a method', (userName) => ({ schemas: [BULK_REQUEST], Operations: [valid(userName), { path: '/Users', bulkId: 'x', data: {} }] })],
  ])('refuses a request %s with a 400 SCIM error, and runs none of its operations', async (label, body) => {
    const tenant = await newBulkTenant(roster);
    const userName = `malformed-${label.replace(/\W+/g, '-')}`;
    const rowsBefore = await tenant.rows();
    const response = await tenant.send(body(userName));
    expectScimError(response, 400);
    await expectNothingStored(tenant, rowsBefore, [userName, `${userName}-2`]);
  });
});
