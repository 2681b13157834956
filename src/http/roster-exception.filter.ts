import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../config/injection-tokens.js';
import type { RosterOptions } from '../config/roster-options.js';
import { ScimError } from '../scim/errors.js';
import { RefusedWrites } from '../modules/events/refused-writes.js';
import { OAuthError } from '../modules/oauth/oauth-error.js';
import { routeTemplateOf } from './observe-requests.js';
import { errorDialectOf } from './roster-paths.js';
import { sendOAuthError, sendScimError } from './send-error.js';
import { toScimError } from './to-scim-error.js';

/**
 * The one exception filter. Under /scim/v2 and /admin every failure answers the SCIM error
 * JSON; under /oauth the RFC 6749 §5.2 JSON; elsewhere (a host app's own routes) Nest's default
 * handling is left alone unless the error is Roster's own (its guard protecting a host route). No stack, driver message or path ever reaches a client: the cause
 * is logged with the request id.
 */
@Catch()
export class RosterExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Roster');
  private readonly fallback: BaseExceptionFilter;

  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    adapterHost: HttpAdapterHost,
    private readonly refusedWrites: RefusedWrites,
  ) {
    this.fallback = new BaseExceptionFilter(adapterHost.httpAdapter);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const dialect = errorDialectOf(request.url);
    // A host's own routes keep Nest's handling, except for errors Roster raised there (its guard).
    if (dialect === 'other' && !(error instanceof ScimError)) {
      this.fallback.catch(error, host);
      return;
    }
    if (dialect === 'oauth') {
      this.sendOAuth(error, request, reply);
      return;
    }
    const scimError = this.toScimError(error, request) ?? this.internal(error, request);
    this.refusedWrites.record(request, scimError);
    sendScimError(reply, scimError);
  }

  private sendOAuth(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    sendOAuthError(reply, error instanceof OAuthError ? error : this.toOAuthError(error, request));
  }

  private toOAuthError(error: unknown, request: FastifyRequest): OAuthError {
    const scimError = this.toScimError(error, request);
    if (!scimError) {
      this.internal(error, request);
      return new OAuthError(500, 'invalid_request', `Internal error; quote request id ${request.id}.`);
    }
    if (scimError.status === 503) return OAuthError.temporarilyUnavailable(scimError.headers['retry-after'] ?? '5');
    return new OAuthError(scimError.status, 'invalid_request', scimError.detail);
  }

  /** A client's error as SCIM sees it; an outage (503) is also logged, with its cause, as a warning. */
  private toScimError(error: unknown, request: FastifyRequest): ScimError | null {
    const scimError = toScimError(error, this.options.bodyLimitBytes);
    if (scimError?.status === 503 && !(error instanceof ScimError)) {
      this.logger.warn({ msg: 'database or Redis unavailable', requestId: request.id, method: request.method, route: routeTemplateOf(request), err: error });
    }
    return scimError;
  }

  private internal(error: unknown, request: FastifyRequest): ScimError {
    this.logger.error({ msg: 'unhandled error', requestId: request.id, method: request.method, route: routeTemplateOf(request), err: error });
    return ScimError.internal(String(request.id));
  }
}
