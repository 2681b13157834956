import { OAuthError } from './oauth-error.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenRequest {
  readonly credentials: ClientCredentials;
  readonly grantType: string;
  readonly scope: string | undefined;
}

type Body = Readonly<Record<string, unknown>>;

/**
 * Reads a client-credentials token request (RFC 6749 §4.4.2) and its client authentication
 * (§2.3.1): HTTP Basic, or `client_id`/`client_secret` in the body, never both at once (§2.3).
 */
export function readTokenRequest(authorization: string | undefined, body: unknown): TokenRequest {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw OAuthError.invalidRequest('The request body must be a form or a JSON object.');
  }
  const fields: Body = (body ?? {}) as Body;
  const grantType = readField(fields, 'grant_type');
  if (grantType === undefined) throw OAuthError.invalidRequest('grant_type is required.');
  const basic = readBasicCredentials(authorization);
  const bodyId = readField(fields, 'client_id');
  const bodySecret = readField(fields, 'client_secret');
  if (basic && (bodyId !== undefined || bodySecret !== undefined)) {
    throw OAuthError.invalidRequest('Use one client authentication method, not HTTP Basic and body credentials together.');
  }
  const credentials = basic ?? (bodyId !== undefined && bodySecret !== undefined ? { clientId: bodyId, clientSecret: bodySecret } : null);
  if (!credentials) throw OAuthError.invalidClient();
  return { credentials, grantType, scope: readField(fields, 'scope') };
}

function readField(fields: Body, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw OAuthError.invalidRequest(`${name} must be given once, as a string.`);
  return value;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function readBasicCredentials(authorization: string | undefined): ClientCredentials | null {
  if (!authorization) return null;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw OAuthError.invalidClient();
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw OAuthError.invalidClient();
  }
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}
