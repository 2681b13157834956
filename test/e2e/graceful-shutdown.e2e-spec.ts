import { jest } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { buildService, startChildService, type ChildService } from '../support/child-service.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { HttpClient } from '../support/http-client.js';
import { TEST_ADMIN_TOKEN } from '../support/roster-harness.js';

// Each test starts the built service as a child process, twice in the first.
jest.setTimeout(120_000);

interface SlowRequest {
  /** Sends the rest of the body: the request can complete. */
  finish(): void;
  readonly answer: Promise<{ status: number; text: string; connection: string | undefined }>;
}

/** A POST whose body arrives in two halves, on a connection of its own: in flight until `finish`. */
function slowPost(baseUrl: string, path: string, token: string, body: unknown): SlowRequest {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const request = httpRequest(`${baseUrl}${path}`, {
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(text) },
  });
  const answer = new Promise<{ status: number; text: string; connection: string | undefined }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      let received = '';
      response.on('data', (chunk: Buffer) => (received += chunk.toString()));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, text: received, connection: response.headers.connection }));
    });
  });
  request.write(text.slice(0, half));
  return { finish: () => request.end(text.slice(half)), answer };
}

const userBody = (userName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });

function stopChild(child: ChildService | undefined): Promise<unknown> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return Promise.resolve();
  child.process.kill('SIGKILL');
  return child.exited;
}

beforeAll(() => buildService(), 60_000);

describe.each(databaseKinds())('SIGTERM on %s', (kind) => {
  let database: TestDatabase;
  let child: ChildService | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await stopChild(child);
    await database.drop();
  });

  it('refuses new connections, finishes the request in flight, then closes the database and exits 0', async () => {
    child = await startChildService(database.options, { ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    const http = new HttpClient(child.baseUrl);
    const token = await requestAccessToken(http, await createTenantWithConnection(http));
    const slow = slowPost(child.baseUrl, '/scim/v2/Users', token, userBody('drained.alice'));
    await sleep(300);

    child.process.kill('SIGTERM');
    await sleep(500);
    await expect(fetch(`${child.baseUrl}/health/live`)).rejects.toThrow();
    expect(child.process.exitCode).toBeNull();

    slow.finish();
    const answer = await slow.answer;
    expect(answer.status).toBe(201);
    expect(answer.connection).toBe('close');
    expect(await child.exited).toBe(0);
    const lines = child.output();
    expect(lines).toContain('"msg":"shutting down: refusing new connections, finishing requests in flight"');
    expect(lines).toContain('"msg":"stopped"');
    expect(lines).not.toContain('grace period over');

    // The acknowledged write is there for the next process on the same database.
    const id = (JSON.parse(answer.text) as { id: string }).id;
    child = await startChildService(database.options, { ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    const read = await new HttpClient(child.baseUrl).get<{ userName: string }>(`/scim/v2/Users/${id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.userName).toBe('drained.alice');
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });
});

describe('SIGTERM with a request that never finishes', () => {
  let database: TestDatabase;
  let child: ChildService | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await stopChild(child);
    await database.drop();
  });

  it('cuts it after SHUTDOWN_GRACE_SECONDS and still exits 0', async () => {
    child = await startChildService(database.options, { ADMIN_TOKEN: TEST_ADMIN_TOKEN, SHUTDOWN_GRACE_SECONDS: '1' });
    const http = new HttpClient(child.baseUrl);
    const token = await requestAccessToken(http, await createTenantWithConnection(http));
    const stuck = slowPost(child.baseUrl, '/scim/v2/Users', token, userBody('stuck.bob'));
    const refused = stuck.answer.then(
      () => 'answered',
      () => 'cut',
    );
    await sleep(300);

    const signalled = Date.now();
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const tookMs = Date.now() - signalled;
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(4000);
    expect(await refused).toBe('cut');
    expect(child.output()).toContain('"msg":"grace period over: closing the connections still open"');
  });
});
