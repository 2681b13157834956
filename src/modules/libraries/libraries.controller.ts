import { Body, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import type { ListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ProjectionParams } from '../../scim/projection.js';
import { listRequestFromQuery, listRequestFromSearchBody } from '../../scim/query/list-request.js';
import type { ResourceAnswer } from '../../scim/resource-answer.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import { LibrariesService } from './libraries.service.js';

/**
 * /Libraries through SCIM is read-only (libraries are managed through the admin API): writes
 * find no route here and answer 405 with `Allow` (ScimFallbackController).
 */
@ScimController('Libraries')
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class LibrariesController {
  constructor(private readonly libraries: LibrariesService) {}

  @Get()
  @RequireScopes('scim.read')
  list(@Tenant() tenant: TenantId, @Query() query: Record<string, unknown>): Promise<ListResponse<ScimObject>> {
    return this.libraries.list(tenant, listRequestFromQuery(query));
  }

  @Post('.search')
  @HttpCode(200)
  @RequireScopes('scim.read')
  search(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<ListResponse<ScimObject>> {
    return this.libraries.list(tenant, listRequestFromSearchBody(body));
  }

  @Get(':id')
  @RequireScopes('scim.read')
  get(@Tenant() tenant: TenantId, @Param('id') id: string, @Query() query: ProjectionParams, @Headers('if-none-match') ifNoneMatch?: string): Promise<ResourceAnswer> {
    return this.libraries.get(tenant, id, query, ifNoneMatch);
  }
}
