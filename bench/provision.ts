export interface Credentials {
  readonly bearer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One API connection for the seeded tenant through the admin API, and a long-lived token on it. */
export async function provisionCredentials(baseUrl: string, adminToken: string, tenantId: string): Promise<Credentials> {
  const connection = await adminPost<{ id: string; clientId: string; clientSecret: string }>(
    `${baseUrl}/admin/tenants/${tenantId}/connections`,
    adminToken,
    { name: 'bench', scopes: ['scim.read', 'scim.write'] },
  );
  const { token } = await adminPost<{ token: string }>(
    `${baseUrl}/admin/tenants/${tenantId}/connections/${connection.id}/tokens`,
    adminToken,
    {},
  );
  return { bearer: token, clientId: connection.clientId, clientSecret: connection.clientSecret };
}

async function adminPost<T>(url: string, adminToken: string, body: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The exact body of one GET /Users/{id}, which the baseline answers with. */
export async function sampleUserBody(baseUrl: string, bearer: string, userId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/scim/v2/Users/${userId}`, { headers: { authorization: `Bearer ${bearer}` } });
  if (!response.ok) throw new Error(`GET /Users/${userId}: ${response.status} ${await response.text()}`);
  return response.text();
}
