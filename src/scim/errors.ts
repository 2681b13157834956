/** RFC 7644 §3.12 error `scimType` values, plus the ones later RFCs and drafts use. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const MAX_ECHOED_ID = 100;

/** The SCIM error JSON body of RFC 7644 §3.12; `status` is a string there. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/**
 * The one error type of the protocol core (RFC 7644 §3.12). Everything that reaches a
 * client as a SCIM error is one of these; nobody writes error JSON by hand.
 */
export class ScimError extends Error {
  /** Extra response headers, such as `WWW-Authenticate` on a 401 or `Allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
    this.headers = headers;
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }

  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidSyntax');
  }
  static invalidValue(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidValue');
  }
  static invalidFilter(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidFilter');
  }
  /** RFC 9865 §2.1. */
  static invalidCursor(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidCursor');
  }
  static invalidPath(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidPath');
  }
  static noTarget(detail: string): ScimError {
    return new ScimError(400, detail, 'noTarget');
  }
  static mutability(detail: string): ScimError {
    return new ScimError(400, detail, 'mutability');
  }
  static tooMany(detail: string): ScimError {
    return new ScimError(400, detail, 'tooMany');
  }
  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }
  static unauthorized(detail = 'A valid bearer token is required.'): ScimError {
    return new ScimError(401, detail, undefined, { 'www-authenticate': 'Bearer realm="scim"' });
  }
  static invalidToken(detail = 'The bearer token is invalid, expired or revoked.'): ScimError {
    return new ScimError(401, detail, undefined, {
      'www-authenticate': 'Bearer realm="scim", error="invalid_token"',
    });
  }
  static forbidden(detail: string): ScimError {
    return new ScimError(403, detail);
  }
  /** 404 whatever the shape of the id: a malformed id is still just "not found". */
  static notFound(resourceType: string, id: string): ScimError {
    // A 10 KB id is not echoed whole: its start says which request this was.
    const shown = id.length > MAX_ECHOED_ID ? `${id.slice(0, MAX_ECHOED_ID)}…` : id;
    return new ScimError(404, `${resourceType} ${JSON.stringify(shown)} not found.`);
  }
  /** A path that is not percent-encoded UTF-8 names no endpoint and no resource, whatever its bytes. */
  static undecodablePath(): ScimError {
    return new ScimError(404, 'The URL path is not valid percent-encoded UTF-8, so it names nothing here.');
  }
  static routeNotFound(path: string): ScimError {
    return new ScimError(404, `No SCIM endpoint at ${JSON.stringify(path)}.`);
  }
  static methodNotAllowed(method: string, allowed: readonly string[]): ScimError {
    return new ScimError(405, `${method} is not supported here; use ${allowed.join(', ')}.`, undefined, {
      allow: allowed.join(', '),
    });
  }
  static preconditionFailed(detail: string): ScimError {
    return new ScimError(412, detail);
  }
  static payloadTooLarge(limitBytes: number): ScimError {
    return new ScimError(413, `The request body exceeds the limit of ${limitBytes} bytes.`);
  }
  static unsupportedMediaType(): ScimError {
    return new ScimError(415, 'Send application/scim+json or application/json.');
  }
  static headersTooLarge(): ScimError {
    return new ScimError(431, 'The request headers are too large.');
  }
  static tooManyRequests(retryAfterSeconds: number): ScimError {
    return new ScimError(429, 'Too many requests; slow down.', undefined, { 'retry-after': String(retryAfterSeconds) });
  }
  static notImplemented(detail: string): ScimError {
    return new ScimError(501, detail);
  }
  /** The database or Redis cannot be reached now; RFC 9110 §10.2.3 `Retry-After`. */
  static unavailable(retryAfterSeconds: number): ScimError {
    return new ScimError(503, 'The service is temporarily unavailable; retry later.', undefined, { 'retry-after': String(retryAfterSeconds) });
  }
  static internal(requestId: string): ScimError {
    return new ScimError(500, `Internal error; quote request id ${requestId} to the operator.`);
  }
}
