import { SetMetadata } from '@nestjs/common';
import type { AdminScope } from '../../domain/admin-scopes.js';

export const ADMIN_SCOPE = 'roster:admin-scope';

/** The scope a route needs instead of its method's (`admin:read` for GET, `admin:write` otherwise). */
export const RequireAdminScope = (scope: AdminScope) => SetMetadata(ADMIN_SCOPE, scope);
