import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryRegistry } from '../discovery/discovery.registry.js';
import { SearchRegistry } from '../search/search.registry.js';
import { GROUP_RESOURCE_TYPE } from './group-resource.js';
import { GroupsService } from './groups.service.js';

/** Advertises /Groups and lets the root /.search span them (after Users). */
@Injectable()
export class GroupsDiscovery implements OnModuleInit {
  constructor(
    private readonly registry: DiscoveryRegistry,
    private readonly searches: SearchRegistry,
    private readonly groups: GroupsService,
  ) {}

  onModuleInit(): void {
    this.registry.registerResourceType(GROUP_RESOURCE_TYPE);
    this.searches.register('Group', (tenant, request) => this.groups.search(tenant, request));
  }
}
