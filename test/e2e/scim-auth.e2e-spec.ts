import { databaseKinds } from '../support/databases.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

// /Me needs a valid token but no scope and then answers 501: a 501 proves the request passed
// authentication and the IP allowlist, a 401/403 that it did not.
const AUTHENTICATED = 501;

describe.each(databaseKinds())('bearer authentication on %s', (kind) => {
  let roster: RosterHarness;
  let token: string;

  beforeAll(async () => {
    roster = await startRoster(kind);
    token = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
  });
  afterAll(() => roster.close());

  it('answers 401 with a Bearer challenge and a SCIM error when the token is missing', async () => {
    const response = await roster.http.get<Record<string, unknown>>('/scim/v2/Me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(response.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: expect.any(String),
    });
  });

  it('answers 401 invalid_token for an unknown token, without echoing it', async () => {
    const response = await roster.http.get('/scim/v2/Me', { token: 'rst_at_forged' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(response.text).not.toContain('rst_at_forged');
  });

  it('accepts the scheme name in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await roster.http.get('/scim/v2/Me', { headers: { authorization: `${scheme} ${token}` } });
      expect(response.status).toBe(AUTHENTICATED);
    }
  });

  it('ignores access_token in the query string and in the body', async () => {
    expect((await roster.http.get(`/scim/v2/Me?access_token=${token}`)).status).toBe(401);
    const inBody = await roster.http.post('/scim/v2/Me', { body: { access_token: token } });
    expect(inBody.status).toBe(401);
  });
});

describe.each(databaseKinds())('IP allowlist on %s', (kind) => {
  describe('without TRUST_PROXY', () => {
    let roster: RosterHarness;
    beforeAll(async () => {
      roster = await startRoster(kind);
    });
    afterAll(() => roster.close());

    it('lets an allowed address in, also through an IPv4-mapped IPv6 range', async () => {
      for (const allowedCidrs of [['127.0.0.0/8'], ['::ffff:127.0.0.0/104']]) {
        const token = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http, { allowedCidrs }));
        expect((await roster.http.get('/scim/v2/Me', { token })).status).toBe(AUTHENTICATED);
      }
    });

    it('refuses a token request from an address outside the allowlist', async () => {
      const fenced = await createTenantWithConnection(roster.http, { allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
      const refused = await roster.http.post<{ error: string }>('/oauth/token', {
        rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: fenced.clientId, client_secret: fenced.clientSecret }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('unauthorized_client');
    });

    it('does not believe X-Forwarded-For when no proxy is trusted', async () => {
      const fenced = await createTenantWithConnection(roster.http, { allowedCidrs: ['203.0.113.0/24'] });
      const response = await roster.http.post('/oauth/token', {
        rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: fenced.clientId, client_secret: fenced.clientSecret }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7' },
      });
      expect(response.status).toBe(400);
    });
  });

  describe('with TRUST_PROXY naming the loopback proxy', () => {
    let roster: RosterHarness;
    beforeAll(async () => {
      roster = await startRoster(kind, { trustProxy: { kind: 'cidrs', cidrs: ['127.0.0.1/32'] } });
    });
    afterAll(() => roster.close());

    it('takes the client address from X-Forwarded-For, IPv4 and IPv6', async () => {
      const fenced = await createTenantWithConnection(roster.http, { allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
      const ipv4Token = await tokenVia(roster, fenced, '203.0.113.7');
      expect(ipv4Token.status).toBe(200);
      const token = String(ipv4Token.body.access_token);
      const viaIpv6 = await roster.http.get('/scim/v2/Me', { token, headers: { 'x-forwarded-for': '2001:db8::42' } });
      expect(viaIpv6.status).toBe(AUTHENTICATED);
      const elsewhere = await roster.http.get<{ status: string }>('/scim/v2/Me', { token, headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.status).toBe('403');
    });

    it('takes the right-most untrusted address, so a spoofed left-most entry does not help', async () => {
      const fenced = await createTenantWithConnection(roster.http, { allowedCidrs: ['203.0.113.0/24'] });
      expect((await tokenVia(roster, fenced, '203.0.113.7, 198.51.100.1')).status).toBe(400);
    });

    it('fails closed when the header holds no address', async () => {
      const fenced = await createTenantWithConnection(roster.http, { allowedCidrs: ['0.0.0.0/0'] });
      expect((await tokenVia(roster, fenced, 'garbage')).status).toBe(400);
    });
  });
});

function tokenVia(roster: RosterHarness, connection: { clientId: string; clientSecret: string }, forwardedFor: string) {
  return roster.http.post<Record<string, unknown>>('/oauth/token', {
    rawBody: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: connection.clientId,
      client_secret: connection.clientSecret,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
  });
}
