import { Body, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ScimController } from '../../http/scim-controller.decorator.js';
import { ScimError } from '../../scim/errors.js';
import { type ListResponse, toPagedListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { listRequestFromSearchBody, type ListRequest } from '../../scim/query/list-request.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { SearchRegistry } from './search.registry.js';

/**
 * RFC 7644 §3.4.3 POST /.search over every resource type, in registration order (Users, then
 * Groups): one index-paginated list, each type filtered, sorted and projected by its own
 * schemas. A filter or attribute name that a type does not have leaves that type out; one no
 * type has is the error it would be on that type's own endpoint. Cursor pages are per resource
 * type (RFC 9865 keysets are), so this endpoint refuses `cursor`.
 */
@ScimController()
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class RootSearchController {
  constructor(private readonly registry: SearchRegistry) {}

  @Post('.search')
  @HttpCode(200)
  @RequireScopes('scim.read')
  async search(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<ListResponse<ScimObject>> {
    const request = listRequestFromSearchBody(body);
    if (request.page.kind !== 'index') {
      throw ScimError.invalidValue('Cursor pagination is available on each resource type\'s own .search endpoint, not on /.search.');
    }
    const { startIndex, count } = request.page;
    let skip = startIndex - 1;
    let total = 0;
    let firstError: ScimError | undefined;
    let answered = 0;
    const resources: ScimObject[] = [];
    for (const { search } of this.registry.list()) {
      const remaining = count - resources.length;
      const page: ListRequest = { ...request, page: { kind: 'index', startIndex: skip + 1, count: remaining } };
      let answer: ListResponse<ScimObject>;
      try {
        answer = await search(tenant, page);
      } catch (error) {
        if (!(error instanceof ScimError) || error.status !== 400) throw error;
        firstError ??= error;
        continue;
      }
      answered++;
      total += answer.totalResults;
      resources.push(...answer.Resources);
      skip = Math.max(0, skip - answer.totalResults);
    }
    if (answered === 0 && firstError !== undefined) throw firstError;
    return toPagedListResponse(resources, { total, startIndex });
  }
}
