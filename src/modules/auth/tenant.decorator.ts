import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import type { Principal } from './principal.js';

/** The tenant of a SCIM request: it comes from the token alone, never from the request. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): TenantId => {
  const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
  if (!principal) throw new Error('@Tenant() used on a handler without ScimAuthGuard');
  return principal.tenantId;
});
