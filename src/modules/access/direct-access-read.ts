import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRosterId } from '../../domain/resource-id.js';
import { asTenantId } from '../../domain/tenant-id.js';
import type { DirectRoute, DirectServe } from '../../http/direct-routes.js';
import { ADMIN_PREFIX } from '../../http/roster-paths.js';
import type { AdminPrincipal } from '../admin-keys/admin-keys.service.js';
import { AdminAuthenticator } from '../admin/admin-authenticator.js';
import { UsersService, type UserAccess } from '../users/users.service.js';

const ACCESS_ROUTE = `${ADMIN_PREFIX}/tenants/:tenantId/users/:userId/access`;

type AccessRequest = FastifyRequest<{ Params: { tenantId: string; userId: string } }> & { adminPrincipal?: AdminPrincipal };

/**
 * GET /admin/tenants/{tenantId}/users/{userId}/access, which the platform asks on every session
 * check, as a direct route (src/http/direct-routes.ts): what AdminTokenGuard, AdminIdPipe and
 * AdminUsersController.access do, with the same services. Any request that would not answer 200
 * goes to the Nest route, which answers it as it always has.
 */
@Injectable()
export class DirectAccessRead implements DirectRoute {
  constructor(
    private readonly authenticator: AdminAuthenticator,
    private readonly users: UsersService,
  ) {}

  serverFor(url: string): DirectServe | undefined {
    return url === ACCESS_ROUTE ? (request, reply) => this.serve(request as AccessRequest, reply) : undefined;
  }

  private async serve(request: AccessRequest, reply: FastifyReply): Promise<boolean> {
    const { tenantId, userId } = request.params;
    if (!isRosterId(tenantId) || !isRosterId(userId)) return false;
    let principal: AdminPrincipal;
    let access: UserAccess;
    try {
      const credentials = { authorization: request.headers.authorization, path: request.url.split('?')[0] ?? request.url, tenantId };
      principal = await this.authenticator.authenticate(credentials, 'access:read');
      access = await this.users.access(asTenantId(tenantId), userId);
    } catch {
      return false;
    }
    request.adminPrincipal = principal;
    void reply.send(access);
    return true;
  }
}
