import { Injectable } from '@nestjs/common';
import type { ListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** One resource type's list query (RFC 7644 §3.4.2), projected, as its own endpoint answers it. */
export type ResourceSearch = (tenant: TenantId, request: ListRequest) => Promise<ListResponse<ScimObject>>;

/** The resource types the root /.search spans; each resource module adds its own when it starts. */
@Injectable()
export class SearchRegistry {
  private readonly searches: { readonly resourceType: string; readonly search: ResourceSearch }[] = [];

  register(resourceType: string, search: ResourceSearch): void {
    if (!this.searches.some((known) => known.resourceType === resourceType)) this.searches.push({ resourceType, search });
  }

  list(): readonly { readonly resourceType: string; readonly search: ResourceSearch }[] {
    return this.searches;
  }
}
