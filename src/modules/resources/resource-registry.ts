import { Injectable } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import type { ListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ProjectionParams } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import type { ResourceAnswer } from '../../scim/resource-answer.js';
import type { ResourceDefinition } from './resource-definition.js';

/** One resource type's list query (RFC 7644 §3.4.2), projected, as its own endpoint answers it. */
export type ResourceSearch = (tenant: TenantId, request: ListRequest) => Promise<ListResponse<ScimObject>>;

/** A type's writes as its own endpoints run them (RFC 7644 §3.3–§3.6), for `/Bulk` to run the same. */
export interface ResourceWrites {
  create(tenant: TenantId, body: unknown, params: ProjectionParams): Promise<ResourceAnswer>;
  replace(tenant: TenantId, id: string, body: unknown, params: ProjectionParams, ifMatch?: string): Promise<ResourceAnswer>;
  patch(tenant: TenantId, id: string, operations: readonly unknown[], params: ProjectionParams, ifMatch?: string): Promise<ResourceAnswer>;
  delete(tenant: TenantId, id: string, ifMatch?: string): Promise<void>;
}

/**
 * GET of one resource (RFC 7644 §3.4.1) as its own endpoint answers it, for the direct read
 * (src/http/direct-routes.ts); registered only by types whose answer is never a stream.
 */
export type ResourceRead = (tenant: TenantId, id: string, params: ProjectionParams, ifNoneMatch?: string) => Promise<ResourceAnswer>;

export interface RegisteredResource {
  readonly definition: ResourceDefinition;
  readonly search: ResourceSearch;
  /** Absent for a type whose GET may stream its answer (Groups): Nest's route serves it. */
  readonly read?: ResourceRead;
  /** Absent for a type that SCIM only reads (Libraries). */
  readonly writes?: ResourceWrites;
}

/**
 * The resource types whose endpoints exist, in their definitions' order (the order the root
 * `/.search` spans them). Each type's service registers itself when it is constructed, before
 * routes are registered; discovery serves exactly these.
 */
@Injectable()
export class ResourceRegistry {
  private readonly resources: RegisteredResource[] = [];

  register(definition: ResourceDefinition, search: ResourceSearch, writes?: ResourceWrites, read?: ResourceRead): void {
    if (this.resources.some((known) => known.definition === definition)) return;
    this.resources.push({ definition, search, ...(writes === undefined ? {} : { writes }), ...(read === undefined ? {} : { read }) });
    this.resources.sort((a, b) => a.definition.order - b.definition.order);
  }

  list(): readonly RegisteredResource[] {
    return this.resources;
  }
}
