import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_FILTER_LIMITS } from '../../scim/filter/parser.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../scim/query/list-request.js';
import { DiscoveryRegistry } from '../discovery/discovery.registry.js';
import { SearchRegistry } from '../search/search.registry.js';
import { UsersService } from './users.service.js';
import { USER_RESOURCE_TYPE } from './user-resource.js';

/** Advertises /Users and what it implements: PATCH, password changes, ETags, filters, sorting, both kinds of pages. */
@Injectable()
export class UsersDiscovery implements OnModuleInit {
  constructor(
    private readonly registry: DiscoveryRegistry,
    private readonly searches: SearchRegistry,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.registry.registerResourceType(USER_RESOURCE_TYPE);
    this.searches.register('User', (tenant, request) => this.users.search(tenant, request));
    this.registry.enableFeatures({
      patch: true,
      changePassword: true,
      etag: true,
      filter: { maxResults: MAX_PAGE_SIZE, maxFilterLength: DEFAULT_FILTER_LIMITS.maxLength, maxFilterDepth: DEFAULT_FILTER_LIMITS.maxDepth },
      sort: true,
      pagination: { cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE },
    });
  }
}
