import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import type { ListResponse } from '../../scim/list-response.js';
import { readPatchRequest } from '../../scim/patch/patch-request.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ProjectionParams } from '../../scim/projection.js';
import { listRequestFromQuery, listRequestFromSearchBody } from '../../scim/query/list-request.js';
import type { ResourceAnswer } from '../../scim/resource-answer.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import { UsersService } from './users.service.js';

/** RFC 7644 §3 on /Users: HTTP in, one service call, the service's answer out. */
@ScimController('Users')
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequireScopes('scim.read')
  list(@Tenant() tenant: TenantId, @Query() query: Record<string, unknown>): Promise<ListResponse<ScimObject>> {
    return this.users.list(tenant, listRequestFromQuery(query));
  }

  @Post('.search')
  @HttpCode(200)
  @RequireScopes('scim.read')
  search(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<ListResponse<ScimObject>> {
    return this.users.list(tenant, listRequestFromSearchBody(body));
  }

  @Get(':id')
  @RequireScopes('scim.read')
  get(@Tenant() tenant: TenantId, @Param('id') id: string, @Query() query: ProjectionParams, @Headers('if-none-match') ifNoneMatch?: string): Promise<ResourceAnswer> {
    return this.users.get(tenant, id, query, ifNoneMatch);
  }

  @Post()
  @RequireScopes('scim.write')
  create(@Tenant() tenant: TenantId, @Body() body: unknown, @Query() query: ProjectionParams): Promise<ResourceAnswer> {
    return this.users.create(tenant, body, query);
  }

  @Put(':id')
  @RequireScopes('scim.write')
  replace(@Tenant() tenant: TenantId, @Param('id') id: string, @Body() body: unknown, @Query() query: ProjectionParams, @Headers('if-match') ifMatch?: string): Promise<ResourceAnswer> {
    return this.users.replace(tenant, id, body, query, ifMatch);
  }

  @Patch(':id')
  @RequireScopes('scim.write')
  patch(@Tenant() tenant: TenantId, @Param('id') id: string, @Body() body: unknown, @Query() query: ProjectionParams, @Headers('if-match') ifMatch?: string): Promise<ResourceAnswer> {
    return this.users.patch(tenant, id, readPatchRequest(body), query, ifMatch);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('scim.write')
  delete(@Tenant() tenant: TenantId, @Param('id') id: string, @Headers('if-match') ifMatch?: string): Promise<void> {
    return this.users.delete(tenant, id, ifMatch);
  }
}
