import { Injectable } from '@nestjs/common';
import type { ScimFeatures } from '../../scim/discovery.js';
import { DEFAULT_FILTER_LIMITS } from '../../scim/filter/parser.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../scim/query/list-request.js';
import type { ResourceTypeDefinition } from '../../scim/schemas/characteristics.js';
import { ResourceRegistry } from '../resources/resource-registry.js';

const NOTHING: ScimFeatures = { patch: false, bulk: null, filter: null, filterLimits: null, changePassword: false, sort: false, etag: false, pagination: null };

/** What the shared resource pipeline implements for every type it serves. */
const PIPELINE_FEATURES: Partial<ScimFeatures> = {
  patch: true,
  etag: true,
  filter: { maxResults: MAX_PAGE_SIZE },
  filterLimits: { maxFilterLength: DEFAULT_FILTER_LIMITS.maxLength, maxFilterDepth: DEFAULT_FILTER_LIMITS.maxDepth },
  sort: true,
  pagination: { cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE },
};

/**
 * What discovery advertises: the resource types that registered (their endpoints exist), the
 * pipeline's features once one did, and what a type's service switches on for itself (password
 * changes), so discovery never claims more than the code does.
 */
@Injectable()
export class DiscoveryRegistry {
  private enabled: Partial<ScimFeatures> = {};

  constructor(private readonly resources: ResourceRegistry) {}

  enableFeatures(features: Partial<ScimFeatures>): void {
    this.enabled = { ...this.enabled, ...features };
  }

  get features(): ScimFeatures {
    return { ...NOTHING, ...(this.resources.list().length > 0 ? PIPELINE_FEATURES : {}), ...this.enabled };
  }

  listResourceTypes(): readonly ResourceTypeDefinition[] {
    return this.resources.list().map((resource) => resource.definition.type.discovery);
  }
}
