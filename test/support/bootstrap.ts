import type { HttpClient } from './http-client.js';
import { TEST_ADMIN_TOKEN } from './roster-harness.js';

export interface CreatedConnection {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

let tenantCounter = 0;

/** A new tenant with one API connection, made through the admin API. */
export async function createTenantWithConnection(
  http: HttpClient,
  connection: { scopes?: string[]; allowedCidrs?: string[] } = {},
  adminToken = TEST_ADMIN_TOKEN,
): Promise<CreatedConnection> {
  tenantCounter += 1;
  const tenant = await http.post<{ id: string }>('/admin/tenants', {
    token: adminToken,
    body: { name: `Tenant ${tenantCounter} ${Date.now()}` },
  });
  if (tenant.status !== 201) throw new Error(`tenant create failed: ${tenant.status} ${tenant.text}`);
  const created = await http.post<{ id: string; clientId: string; clientSecret: string }>(
    `/admin/tenants/${tenant.body.id}/connections`,
    {
      token: adminToken,
      body: { name: 'IdP', scopes: connection.scopes ?? ['scim.read', 'scim.write'], allowedCidrs: connection.allowedCidrs },
    },
  );
  if (created.status !== 201) throw new Error(`connection create failed: ${created.status} ${created.text}`);
  return {
    tenantId: tenant.body.id,
    connectionId: created.body.id,
    clientId: created.body.clientId,
    clientSecret: created.body.clientSecret,
  };
}

/** An access token from POST /oauth/token with form-encoded body credentials. */
export async function requestAccessToken(http: HttpClient, connection: CreatedConnection, scope?: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: connection.clientId,
    client_secret: connection.clientSecret,
  });
  if (scope) form.set('scope', scope);
  const response = await http.post<{ access_token: string }>('/oauth/token', {
    rawBody: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
  return response.body.access_token;
}
