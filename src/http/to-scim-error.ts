import { HttpException } from '@nestjs/common';
import { isDependencyUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../database/unavailable.js';
import { ScimError } from '../scim/errors.js';

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
}

/**
 * Turns whatever was thrown into a SCIM error, or null when it is an unexpected failure (a
 * bug) that must become a bland 500. The database or Redis out of reach is a 503 with
 * `Retry-After`: the client's request was fine and will work again. Fastify reports body problems with
 * FST_ERR_* codes; Nest with HttpExceptions; neither message is shown to clients as is.
 */
export function toScimError(error: unknown, bodyLimitBytes: number): ScimError | null {
  if (error instanceof ScimError) return error;
  if (isDependencyUnavailable(error)) return ScimError.unavailable(UNAVAILABLE_RETRY_AFTER_SECONDS);
  const { code, statusCode } = (typeof error === 'object' && error !== null ? error : {}) as FrameworkError;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ScimError.payloadTooLarge(bodyLimitBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ScimError.unsupportedMediaType();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ScimError.invalidSyntax('The Content-Length header does not match the body.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ScimError.invalidSyntax('The request body is empty but the content type says JSON.');
  }
  if (error instanceof SyntaxError || (statusCode === 400 && typeof code !== 'string')) {
    return ScimError.invalidSyntax('The request body is not valid JSON.');
  }
  if (error instanceof HttpException) return fromHttpException(error);
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new ScimError(statusCode, 'The request cannot be processed.');
  }
  return null;
}

function fromHttpException(error: HttpException): ScimError {
  const status = error.getStatus();
  if (status === 404) return new ScimError(404, 'Not found.');
  if (status === 400) {
    // Nest's parsers reject `__proto__` keys with a BadRequestException: the body is unusable JSON for us.
    return ScimError.invalidSyntax('The request body cannot be parsed.');
  }
  if (status === 413) return new ScimError(413, 'The request body is too large.');
  if (status === 415) return ScimError.unsupportedMediaType();
  return new ScimError(status, status >= 500 ? 'Internal error.' : 'The request cannot be processed.');
}
