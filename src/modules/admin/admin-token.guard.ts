import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import type { AdminScope } from '../../domain/admin-scopes.js';
import { ScimError } from '../../scim/errors.js';
import { AdminKeysService, type AdminPrincipal } from '../admin-keys/admin-keys.service.js';
import { TOKEN_PREFIX, timingSafeStringEqual } from '../auth/token-codec.js';
import { ADMIN_SCOPE } from './admin-scope.decorator.js';

export type AdminRequest = FastifyRequest & { adminPrincipal?: AdminPrincipal };

/**
 * `/admin` takes `Authorization: Bearer` with the bootstrap ADMIN_TOKEN (everything) or an admin
 * key (DESIGN.md): its scope must cover the route (`admin:read` for GET, `admin:write` otherwise,
 * `access:read` — or `admin:read` — for the access endpoint), and a key bound to a tenant sees
 * that tenant only: any other is 404, as if absent. Without ADMIN_TOKEN the admin API does not
 * exist (404), keys included.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly keys: AdminKeysService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest & { params?: Record<string, string> }>();
    const path = request.url.split('?')[0] ?? request.url;
    const expected = this.options.adminToken;
    if (!expected) throw ScimError.routeNotFound(path);
    const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw ScimError.unauthorized('The admin API needs the admin bearer token or an admin key.');
    const presented = match[1];
    if (!presented.startsWith(TOKEN_PREFIX.adminKey)) {
      if (!timingSafeStringEqual(presented, expected)) throw ScimError.invalidToken('The admin token is wrong.');
      request.adminPrincipal = { keyId: null, scopes: null, tenantId: null };
      return true;
    }
    const principal = await this.keys.principalOf(presented);
    if (principal === null) throw ScimError.invalidToken('The admin key is unknown or revoked.');
    const targets = [context.getHandler(), context.getClass()];
    const required = this.reflector.getAllAndOverride<AdminScope | undefined>(ADMIN_SCOPE, targets) ?? (request.method === 'GET' || request.method === 'HEAD' ? 'admin:read' : 'admin:write');
    if (!covers(principal.scopes ?? [], required)) throw ScimError.forbidden(`The admin key lacks the scope ${required}.`);
    // A bound key reaches only paths under its own tenant: not the tenant list, not the keys.
    const tenantId = request.params?.tenantId;
    if (principal.tenantId !== null && tenantId !== principal.tenantId) throw ScimError.routeNotFound(path);
    request.adminPrincipal = principal;
    return true;
  }
}

/** `access:read` is the least: `admin:read` covers it; `admin:write` does not cover reading. */
function covers(held: readonly AdminScope[], required: AdminScope): boolean {
  return held.includes(required) || (required === 'access:read' && held.includes('admin:read'));
}
