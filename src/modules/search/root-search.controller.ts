import { Body, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import type { ListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { listRequestFromSearchBody } from '../../scim/query/list-request.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import { RootSearchService } from './root-search.service.js';

/** RFC 7644 §3.4.3 POST /.search over every resource type. */
@ScimController()
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class RootSearchController {
  constructor(private readonly searches: RootSearchService) {}

  @Post('.search')
  @HttpCode(200)
  @RequireScopes('scim.read')
  search(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<ListResponse<ScimObject>> {
    return this.searches.search(tenant, listRequestFromSearchBody(body));
  }
}
