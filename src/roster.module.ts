import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ROSTER_DATA_SOURCE, ROSTER_OPTIONS } from './config/injection-tokens.js';
import type { RosterOptions } from './config/roster-options.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { ENTITIES } from './database/entities/index.js';
import { RedisShutdown, redisProvider } from './database/redis.provider.js';
import { RequestContextInterceptor } from './http/request-context.interceptor.js';
import { RosterExceptionFilter } from './http/roster-exception.filter.js';
import { ScimFallbackController } from './http/scim-fallback.controller.js';
import { ScimRouteTable } from './http/scim-route-table.js';
import { AdminConnectionsController } from './modules/admin/admin-connections.controller.js';
import { EffectiveAccessService } from './modules/access/effective-access.service.js';
import { AdminEventsController } from './modules/admin/admin-events.controller.js';
import { AdminWebhooksController } from './modules/admin/admin-webhooks.controller.js';
import { WebhookDeliveriesRepository } from './modules/webhooks/webhook-deliveries.repository.js';
import { UserPurge } from './modules/users/user-purge.js';
import { WebhookDispatcher } from './modules/webhooks/webhook-dispatcher.js';
import { WebhookEndpointsRepository } from './modules/webhooks/webhook-endpoints.repository.js';
import { WebhookFanOut } from './modules/webhooks/webhook-fan-out.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { AdminKeysController } from './modules/admin/admin-keys.controller.js';
import { AdminKeysRepository } from './modules/admin-keys/admin-keys.repository.js';
import { AdminKeysService } from './modules/admin-keys/admin-keys.service.js';
import { AdminLibrariesController } from './modules/admin/admin-libraries.controller.js';
import { AuditRepository } from './modules/events/audit.repository.js';
import { EventsRecorder } from './modules/events/events-recorder.js';
import { EventsRepository } from './modules/events/events.repository.js';
import { EventsRetention } from './modules/events/events-retention.js';
import { EventsService } from './modules/events/events.service.js';
import { RefusedWrites } from './modules/events/refused-writes.js';
import { AdminRolesController } from './modules/admin/admin-roles.controller.js';
import { AdminTenantsController } from './modules/admin/admin-tenants.controller.js';
import { AdminUsersController } from './modules/admin/admin-users.controller.js';
import { AdminApiDocument } from './modules/admin/openapi/admin-api-document.js';
import { AdminDocsController } from './modules/admin/openapi/admin-docs.controller.js';
import { BearerStrategy } from './modules/auth/bearer.strategy.js';
import { RevocationBus } from './modules/auth/revocation-bus.js';
import { BulkController } from './modules/bulk/bulk.controller.js';
import { BulkService } from './modules/bulk/bulk.service.js';
import { TokenService } from './modules/auth/token.service.js';
import { TokensRepository } from './modules/auth/tokens.repository.js';
import { ConnectionsRepository } from './modules/connections/connections.repository.js';
import { ConnectionsService } from './modules/connections/connections.service.js';
import { DiscoveryController } from './modules/discovery/discovery.controller.js';
import { DiscoveryRegistry } from './modules/discovery/discovery.registry.js';
import { HealthController } from './modules/health/health.controller.js';
import { MeController } from './modules/me/me.controller.js';
import { MetricsController } from './modules/metrics/metrics.controller.js';
import { RosterMetrics } from './modules/metrics/roster-metrics.js';
import { FailedAttemptsLimiter } from './modules/oauth/failed-attempts.limiter.js';
import { OAuthController } from './modules/oauth/oauth.controller.js';
import { rateLimitStorageProvider } from './modules/rate-limit/rate-limit-storage.provider.js';
import { RedisFallback } from './modules/rate-limit/redis-fallback.js';
import { TenantRateLimits } from './modules/rate-limit/tenant-rate-limits.js';
import { TenantRateLimiter } from './modules/rate-limit/tenant-rate-limiter.js';
import { AdminAuthenticator } from './modules/admin/admin-authenticator.js';
import { DirectResourceRead } from './modules/resources/direct-resource-read.js';
import { DirectAccessRead } from './modules/access/direct-access-read.js';
import { TokenEndpointService } from './modules/oauth/token-endpoint.service.js';
import { TenantsRepository } from './modules/tenants/tenants.repository.js';
import { TenantsService } from './modules/tenants/tenants.service.js';
import { RoleCatalogSeeder } from './modules/roles/role-catalog-seeder.js';
import { RolesRepository } from './modules/roles/roles.repository.js';
import { RolesService } from './modules/roles/roles.service.js';
import { UsersController } from './modules/users/users.controller.js';
import { RootSearchController } from './modules/search/root-search.controller.js';
import { GroupsController } from './modules/groups/groups.controller.js';
import { GroupMembersLoader } from './modules/groups/group-members.loader.js';
import { GroupMembershipRepository } from './modules/groups/group-membership.repository.js';
import { GroupMembershipService } from './modules/groups/group-membership.service.js';
import { GroupsRepository } from './modules/groups/groups.repository.js';
import { LibrariesController } from './modules/libraries/libraries.controller.js';
import { LibrariesRepository } from './modules/libraries/libraries.repository.js';
import { LibrariesService } from './modules/libraries/libraries.service.js';
import { LibraryGrantsRepository } from './modules/libraries/library-grants.repository.js';
import { LibraryGrantsService } from './modules/libraries/library-grants.service.js';
import { ResourceChanges } from './modules/resources/resource-changes.js';
import { ResourceReader } from './modules/resources/resource-reader.js';
import { ResourceRegistry } from './modules/resources/resource-registry.js';
import { ResourceRowsRepository } from './modules/resources/resource-rows.repository.js';
import { PreparedSql } from './database/prepared-sql.js';
import { UserAccessRepository } from './modules/access/user-access.repository.js';
import { ResourceWriter } from './modules/resources/resource-writer.js';
import { RootSearchService } from './modules/search/root-search.service.js';
import { UserGroupsLoader } from './modules/users/user-groups.loader.js';
import { GroupsService } from './modules/groups/groups.service.js';
import { UsersRepository } from './modules/users/users.repository.js';
import { UsersService } from './modules/users/users.service.js';
import { SqliteCheckpointer } from './database/sqlite-checkpointer.js';
import { TransactionRunner } from './database/transaction-runner.js';
import { RosterOptionsModule, type RosterAsyncOptions } from './roster-options.module.js';

/**
 * The whole SCIM service as one dynamic module: `main.ts` boots it standalone, and a host Nest
 * app imports it with `RosterModule.forRoot(options)` or `forRootAsync(...)`.
 */
@Module({})
export class RosterModule {
  static forRoot(options: RosterOptions): DynamicModule {
    return RosterModule.build(RosterOptionsModule.fromValue(options));
  }

  static forRootAsync(options: RosterAsyncOptions): DynamicModule {
    return RosterModule.build(RosterOptionsModule.fromFactory(options));
  }

  private static build(optionsModule: DynamicModule): DynamicModule {
    return {
      module: RosterModule,
      imports: [
        optionsModule,
        DiscoveryModule,
        PassportModule,
        TypeOrmModule.forRootAsync({
          name: ROSTER_DATA_SOURCE,
          imports: [optionsModule],
          inject: [ROSTER_OPTIONS],
          useFactory: (options: RosterOptions) => ({
            ...buildDataSourceOptions(options.database),
            migrationsRun: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
        TypeOrmModule.forFeature(ENTITIES, ROSTER_DATA_SOURCE),
      ],
      controllers: [
        DiscoveryController,
        UsersController,
        GroupsController,
        LibrariesController,
        BulkController,
        RootSearchController,
        MeController,
        OAuthController,
        HealthController,
        MetricsController,
        AdminTenantsController,
        AdminConnectionsController,
        AdminRolesController,
        AdminLibrariesController,
        AdminEventsController,
        AdminWebhooksController,
        AdminKeysController,
        AdminUsersController,
        AdminDocsController,
        // Last: it answers whatever no other SCIM route matched.
        ScimFallbackController,
      ],
      providers: [
        redisProvider,
        RedisShutdown,
        TransactionRunner,
        SqliteCheckpointer,
        TenantsRepository,
        TenantsService,
        RevocationBus,
        AdminKeysRepository,
        AdminKeysService,
        AdminAuthenticator,
        TenantRateLimits,
        TenantRateLimiter,
        DirectResourceRead,
        DirectAccessRead,
        RedisFallback,
        rateLimitStorageProvider,
        RolesRepository,
        RoleCatalogSeeder,
        RolesService,
        PreparedSql,
        UserAccessRepository,
        ResourceRowsRepository,
        ResourceReader,
        ResourceWriter,
        ResourceChanges,
        EventsRepository,
        AuditRepository,
        EventsRecorder,
        EventsService,
        EventsRetention,
        RefusedWrites,
        WebhookEndpointsRepository,
        WebhookDeliveriesRepository,
        WebhookFanOut,
        WebhookDispatcher,
        WebhooksService,
        ResourceRegistry,
        LibraryGrantsRepository,
        LibraryGrantsService,
        EffectiveAccessService,
        LibrariesRepository,
        LibrariesService,
        UsersRepository,
        UserPurge,
        UserGroupsLoader,
        UsersService,
        GroupsRepository,
        GroupMembershipRepository,
        GroupMembershipService,
        GroupMembersLoader,
        GroupsService,
        RootSearchService,
        BulkService,
        ConnectionsRepository,
        ConnectionsService,
        TokensRepository,
        TokenService,
        BearerStrategy,
        FailedAttemptsLimiter,
        TokenEndpointService,
        DiscoveryRegistry,
        ScimRouteTable,
        RosterMetrics,
        AdminApiDocument,
        { provide: APP_FILTER, useClass: RosterExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
      ],
      exports: [TenantsService, ConnectionsService, RolesService, UsersService, GroupsService, DiscoveryRegistry, ResourceChanges],
    };
  }
}
