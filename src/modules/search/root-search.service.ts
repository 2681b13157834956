import { Injectable } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import { type ListResponse, toPagedListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { namesOnlyKnownAttributes } from '../../scim/query/names-known.js';
import { ResourceRegistry } from '../resources/resource-registry.js';

/**
 * RFC 7644 §3.4.3 POST /.search over every resource type, in registration order (Users, then
 * Groups): one index-paginated list, each type filtered, sorted and projected by its own
 * schemas. A type that lacks an attribute the request names is left out; one no type has is the
 * error it would be on the first type's own endpoint. Any other error of a type (an invalid
 * filter value, `tooMany`) is the answer: dropping that type's results would under-count.
 * Cursor pages are per resource type (RFC 9865 keysets are), so this endpoint refuses `cursor`.
 */
@Injectable()
export class RootSearchService {
  constructor(private readonly registry: ResourceRegistry) {}

  async search(tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    if (request.page.kind !== 'index') {
      throw ScimError.invalidValue("Cursor pagination is available on each resource type's own .search endpoint, not on /.search.");
    }
    const { startIndex, count } = request.page;
    const registered = this.registry.list();
    const spanned = registered.filter(({ definition }) => namesOnlyKnownAttributes(request, definition.type.resolve));
    if (spanned.length === 0 && registered.length > 0) return registered[0].search(tenant, request);
    let skip = startIndex - 1;
    let total = 0;
    const resources: ScimObject[] = [];
    for (const { search } of spanned) {
      const answer = await search(tenant, { ...request, page: { kind: 'index', startIndex: skip + 1, count: count - resources.length } });
      total += answer.totalResults;
      resources.push(...answer.Resources);
      skip = Math.max(0, skip - answer.totalResults);
    }
    return toPagedListResponse(resources, { total, startIndex });
  }
}
