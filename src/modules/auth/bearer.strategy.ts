import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { ScimError } from '../../scim/errors.js';
import { bearerCallerOf } from './bearer-caller.js';
import type { Principal } from './principal.js';
import { TokenService } from './token.service.js';

export const SCIM_BEARER = 'roster-scim-bearer';

/**
 * passport-http-bearer reads the token from the Authorization header (scheme matched
 * case-insensitively), but by default also from `access_token` in the query string and body
 * (RFC 6750 §2.2, §2.3). Tokens in URLs end up in logs, so only the header is handed over.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, SCIM_BEARER) {
  constructor(
    private readonly tokens: TokenService,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {
    super({ passReqToCallback: true });
  }

  override authenticate(request: Parameters<Strategy<never>['authenticate']>[0], options?: object): void {
    // The typings name Express's request; on this adapter it is Fastify's.
    const original = request as unknown as FastifyRequest;
    const headerOnly = { headers: { authorization: original.headers.authorization }, original };
    super.authenticate(headerOnly as unknown as typeof request, options);
  }

  async validate(request: { original: FastifyRequest }, token: string): Promise<Principal | false> {
    const caller = await bearerCallerOf(this.tokens, token, request.original, this.options);
    if (!caller) return false;
    if (!caller.addressAllowed) throw ScimError.forbidden('Requests from this address are not allowed for this connection.');
    return caller.principal;
  }
}
