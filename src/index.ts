/** What a host Nest app imports to embed Roster. */
export { RosterModule } from './roster.module.js';
export type { RosterAsyncOptions } from './roster-options.module.js';
export { DEFAULT_OPTIONS, type RosterOptions, type DatabaseOptions, type TrustProxy } from './config/roster-options.js';
export { configureRosterHttp } from './http/configure-http.js';
export { rosterFastifyOptions } from './http/fastify-options.js';
export { createRosterLogger, type RosterLogger } from './logging/roster-logger.js';
export { NestPinoLogger } from './logging/nest-pino-logger.js';
export { ScimAuthGuard } from './modules/auth/scim-auth.guard.js';
export { RequireScopes } from './modules/auth/require-scopes.decorator.js';
export { Tenant } from './modules/auth/tenant.decorator.js';
export type { TenantId } from './domain/tenant-id.js';
export { TenantsService } from './modules/tenants/tenants.service.js';
export { ConnectionsService } from './modules/connections/connections.service.js';
export { ScimError } from './scim/errors.js';
