/** RFC 6749 §5.2 error codes, plus `slow_down` for a client IP that failed too often. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'slow_down'
  | 'temporarily_unavailable';

/** An error of the token endpoint, answered as RFC 6749 §5.2 JSON rather than as a SCIM error. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toBody(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }

  static invalidRequest(description: string): OAuthError {
    return new OAuthError(400, 'invalid_request', description);
  }

  /** The database or Redis is out of reach (RFC 6749 §4.1.2.1 names this code for the authorization endpoint; we reuse it). */
  static temporarilyUnavailable(retryAfterSeconds: string): OAuthError {
    return new OAuthError(503, 'temporarily_unavailable', 'The service is temporarily unavailable; retry later.', { 'retry-after': retryAfterSeconds });
  }

  /** RFC 6749 §5.2: 401 with a challenge for the scheme the client used (Basic). */
  static invalidClient(): OAuthError {
    return new OAuthError(401, 'invalid_client', 'Client authentication failed.', {
      'www-authenticate': 'Basic realm="roster", charset="UTF-8"',
    });
  }
}
