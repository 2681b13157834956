import { request as httpRequest } from 'node:http';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const BODY_LIMIT = 4096;

interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
}

function expectScimError(response: { status: number; headers: Headers; body: unknown; text: string }, status: number, scimType?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  const body = response.body as ScimErrorBody;
  expect(body.schemas).toEqual([ERROR_SCHEMA]);
  expect(body.status).toBe(String(status));
  if (scimType) expect(body.scimType).toBe(scimType);
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules|FST_|SyntaxError|QueryFailed/);
}

describe.each(databaseKinds())('SCIM error answers on %s', (kind) => {
  let roster: RosterHarness;
  beforeAll(async () => {
    roster = await startRoster(kind, { bodyLimitBytes: BODY_LIMIT });
  });
  afterAll(() => roster.close());

  it('answers an unknown SCIM route with a SCIM 404', async () => {
    expectScimError(await roster.http.get('/scim/v2/NoSuchThing/42'), 404);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const response = await roster.http.request('DELETE', '/scim/v2/ServiceProviderConfig');
    expectScimError(response, 405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers malformed JSON with 400 invalidSyntax, for SCIM and plain JSON content types', async () => {
    for (const contentType of ['application/scim+json', 'application/json']) {
      const response = await roster.http.post('/scim/v2/Me', { rawBody: '{"schemas": [', headers: { 'content-type': contentType } });
      expectScimError(response, 400, 'invalidSyntax');
    }
  });

  it('answers a __proto__ key with 400 invalidSyntax', async () => {
    const response = await roster.http.post('/scim/v2/Me', { rawBody: '{"__proto__": {"admin": true}}', headers: { 'content-type': 'application/scim+json' } });
    expectScimError(response, 400, 'invalidSyntax');
  });

  it('answers JSON nested deeper than 32 levels with 400 invalidSyntax', async () => {
    const deep = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
    expectScimError(await roster.http.post('/scim/v2/Me', { rawBody: deep, headers: { 'content-type': 'application/json' } }), 400, 'invalidSyntax');
  });

  it('answers an oversized body with 413', async () => {
    const response = await roster.http.post('/scim/v2/Me', { body: { padding: 'x'.repeat(BODY_LIMIT * 2) } });
    expectScimError(response, 413);
  });

  it.each(['application/xml', 'text/plain'])('answers the unsupported content type %s with 415', async (contentType) => {
    const response = await roster.http.post('/scim/v2/Me', { rawBody: '<user/>', headers: { 'content-type': contentType } });
    expectScimError(response, 415);
  });

  it('answers oversized headers with a SCIM 431', async () => {
    const { status, text } = await rawGet(roster.baseUrl, '/scim/v2/ServiceProviderConfig', { 'x-padding': 'x'.repeat(64 * 1024) });
    expect(status).toBe(431);
    expect(JSON.parse(text)).toMatchObject({ schemas: [ERROR_SCHEMA], status: '431' });
  });
});

function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(baseUrl + path, { headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end();
  });
}
