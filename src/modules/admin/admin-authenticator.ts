import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import type { AdminScope } from '../../domain/admin-scopes.js';
import { ScimError } from '../../scim/errors.js';
import { AdminKeysService, type AdminPrincipal } from '../admin-keys/admin-keys.service.js';
import { TOKEN_PREFIX, timingSafeStringEqual } from '../auth/token-codec.js';

/** What an admin request presents: its `Authorization` header, its path, and the tenant its path names. */
export interface AdminCredentials {
  readonly authorization: string | undefined;
  readonly path: string;
  readonly tenantId: string | undefined;
}

/**
 * `/admin` takes `Authorization: Bearer` with the bootstrap ADMIN_TOKEN (everything) or an admin
 * key (DESIGN.md): its scope must cover the route (`admin:read` for GET, `admin:write` otherwise,
 * `access:read` — or `admin:read` — for the access endpoint), and a key bound to a tenant sees
 * that tenant only: any other is 404, as if absent. Without ADMIN_TOKEN the admin API does not
 * exist (404), keys included. Used by the admin routes' guard and by the direct access read.
 */
@Injectable()
export class AdminAuthenticator {
  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly keys: AdminKeysService,
  ) {}

  /** The caller, or the ScimError its request answers (404, 401, 403) in that order of checks. */
  async authenticate(credentials: AdminCredentials, required: AdminScope): Promise<AdminPrincipal> {
    const expected = this.options.adminToken;
    if (!expected) throw ScimError.routeNotFound(credentials.path);
    const match = /^bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? '');
    if (!match?.[1]) throw ScimError.unauthorized('The admin API needs the admin bearer token or an admin key.');
    const presented = match[1];
    if (!presented.startsWith(TOKEN_PREFIX.adminKey)) {
      if (!timingSafeStringEqual(presented, expected)) throw ScimError.invalidToken('The admin token is wrong.');
      return { keyId: null, scopes: null, tenantId: null };
    }
    const principal = await this.keys.principalOf(presented);
    if (principal === null) throw ScimError.invalidToken('The admin key is unknown or revoked.');
    if (!covers(principal.scopes ?? [], required)) throw ScimError.forbidden(`The admin key lacks the scope ${required}.`);
    // A bound key reaches only paths under its own tenant: not the tenant list, not the keys.
    if (principal.tenantId !== null && credentials.tenantId !== principal.tenantId) throw ScimError.routeNotFound(credentials.path);
    return principal;
  }
}

/** `access:read` is the least: `admin:read` covers it; `admin:write` does not cover reading. */
function covers(held: readonly AdminScope[], required: AdminScope): boolean {
  return held.includes(required) || (required === 'access:read' && held.includes('admin:read'));
}
