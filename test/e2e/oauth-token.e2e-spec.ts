import { databaseKinds } from '../support/databases.js';
import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from '../support/bootstrap.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function basic(id: string, secret: string): string {
  return 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
}

describe.each(databaseKinds())('POST /oauth/token on %s', (kind) => {
  let roster: RosterHarness;
  let client: CreatedConnection;

  beforeAll(async () => {
    roster = await startRoster(kind);
    client = await createTenantWithConnection(roster.http);
  });
  afterAll(() => roster.close());

  const post = (rawBody: string, headers: Record<string, string> = FORM) =>
    roster.http.post<Record<string, unknown>>('/oauth/token', { rawBody, headers });

  it('grants a token to HTTP Basic client authentication, with no-store caching', async () => {
    const response = await post('grant_type=client_credentials', { ...FORM, authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^rst_at_[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'scim.read scim.write',
    });
    const me = await roster.http.get('/scim/v2/Me', { token: String(response.body.access_token) });
    expect(me.status).toBe(501);
  });

  it('grants a token to client credentials in a form body and in a JSON body', async () => {
    const form = await post(new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString());
    expect(form.status).toBe(200);
    const json = await post(JSON.stringify({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }), {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(200);
    expect(json.body.access_token).not.toBe(form.body.access_token);
  });

  it('answers the same invalid_client for a wrong secret and for an unknown client', async () => {
    const wrongSecret = await post('grant_type=client_credentials', { ...FORM, authorization: basic(client.clientId, 'rst_cs_wrong') });
    const unknownClient = await post('grant_type=client_credentials', { ...FORM, authorization: basic('roster_nobody', client.clientSecret) });
    for (const response of [wrongSecret, unknownClient]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it.each([
    ['an unsupported grant type', 'grant_type=password', 400, 'unsupported_grant_type'],
    ['a missing grant type', '', 400, 'invalid_request'],
    ['a scope the connection lacks', 'grant_type=client_credentials&scope=scim.admin', 400, 'invalid_scope'],
  ])('refuses %s', async (_name, form, status, error) => {
    const response = await post(form, { ...FORM, authorization: basic(client.clientId, client.clientSecret) });
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
  });

  it('refuses two client authentication methods at once', async () => {
    const response = await post(`grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`, {
      ...FORM,
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });

  it('narrows the token to a requested subset of scopes', async () => {
    const token = await requestAccessToken(roster.http, client, 'scim.read');
    expect(token).toMatch(/^rst_at_/);
    const response = await post('grant_type=client_credentials&scope=scim.read', { ...FORM, authorization: basic(client.clientId, client.clientSecret) });
    expect(response.body.scope).toBe('scim.read');
  });

  it('stops issuing tokens and honouring issued ones once the connection is revoked', async () => {
    const victim = await createTenantWithConnection(roster.http);
    const token = await requestAccessToken(roster.http, victim);
    expect((await roster.http.get('/scim/v2/Me', { token })).status).toBe(501);
    const revoked = await roster.http.delete(`/admin/tenants/${victim.tenantId}/connections/${victim.connectionId}`, { token: TEST_ADMIN_TOKEN });
    expect(revoked.status).toBe(204);
    const after = await roster.http.get('/scim/v2/Me', { token });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('invalid_token');
    const again = await post('grant_type=client_credentials', { ...FORM, authorization: basic(victim.clientId, victim.clientSecret) });
    expect(again.status).toBe(401);
  });

  it('mints long-lived secret tokens that work until they are revoked', async () => {
    const path = `/admin/tenants/${client.tenantId}/connections/${client.connectionId}/tokens`;
    const minted = await roster.http.post<{ id: string; token: string; expiresAt: string | null }>(path, {
      token: TEST_ADMIN_TOKEN,
      body: { expiresInDays: 365 },
    });
    expect(minted.status).toBe(201);
    expect(minted.body.token).toMatch(/^rst_st_/);
    expect(Date.parse(String(minted.body.expiresAt)) - Date.now()).toBeGreaterThan(364 * 86_400_000);
    expect((await roster.http.get('/scim/v2/Me', { token: minted.body.token })).status).toBe(501);
    const listed = await roster.http.get<{ id: string }[]>(path, { token: TEST_ADMIN_TOKEN });
    expect(listed.body.map((token) => token.id)).toContain(minted.body.id);
    expect(listed.text).not.toContain(minted.body.token);
    expect((await roster.http.delete(`${path}/${minted.body.id}`, { token: TEST_ADMIN_TOKEN })).status).toBe(204);
    expect((await roster.http.get('/scim/v2/Me', { token: minted.body.token })).status).toBe(401);
  });
});

describe.each(databaseKinds())('token lifetime and abuse limits on %s', (kind) => {
  let roster: RosterHarness;
  let client: CreatedConnection;

  beforeAll(async () => {
    roster = await startRoster(kind, { accessTokenTtlSeconds: 1, tokenFailuresPerMinute: 3 });
    client = await createTenantWithConnection(roster.http);
  });
  afterAll(() => roster.close());

  it('rejects an access token after it expires', async () => {
    const token = await requestAccessToken(roster.http, client);
    expect((await roster.http.get('/scim/v2/Me', { token })).status).toBe(501);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await roster.http.get('/scim/v2/Me', { token })).status).toBe(401);
  });

  it('answers 429 with Retry-After once a client IP has failed too often, even with the right secret', async () => {
    const wrong = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' }).toString();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await roster.http.post('/oauth/token', { rawBody: wrong, headers: FORM })).status).toBe(401);
    }
    const right = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString();
    const blocked = await roster.http.post<{ error: string }>('/oauth/token', { rawBody: right, headers: FORM });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('slow_down');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
