import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { ScimError } from '../../scim/errors.js';
import { timingSafeStringEqual } from '../auth/token-codec.js';

/** `/admin` needs `Authorization: Bearer $ADMIN_TOKEN`; without ADMIN_TOKEN it does not exist (404). */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(ROSTER_OPTIONS) private readonly options: RosterOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const expected = this.options.adminToken;
    if (!expected) throw ScimError.routeNotFound(request.url.split('?')[0] ?? request.url);
    const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw ScimError.unauthorized('The admin API needs the admin bearer token.');
    if (!timingSafeStringEqual(match[1], expected)) throw ScimError.invalidToken('The admin token is wrong.');
    return true;
  }
}
