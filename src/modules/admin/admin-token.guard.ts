import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AdminScope } from '../../domain/admin-scopes.js';
import type { AdminPrincipal } from '../admin-keys/admin-keys.service.js';
import { AdminAuthenticator } from './admin-authenticator.js';
import { ADMIN_SCOPE } from './admin-scope.decorator.js';

export type AdminRequest = FastifyRequest & { adminPrincipal?: AdminPrincipal };

/** The admin routes' guard: AdminAuthenticator with the scope the route declares (`@RequireAdminScope`), else by method. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    private readonly authenticator: AdminAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest & { params?: Record<string, string> }>();
    const targets = [context.getHandler(), context.getClass()];
    const required =
      this.reflector.getAllAndOverride<AdminScope | undefined>(ADMIN_SCOPE, targets) ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'admin:read' : 'admin:write');
    const credentials = { authorization: request.headers.authorization, path: request.url.split('?')[0] ?? request.url, tenantId: request.params?.tenantId };
    request.adminPrincipal = await this.authenticator.authenticate(credentials, required);
    return true;
  }
}
