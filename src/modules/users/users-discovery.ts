import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryRegistry } from '../discovery/discovery.registry.js';
import { USER_RESOURCE_TYPE } from './user-resource.js';

/** Advertises /Users and what it implements: PATCH, password changes, ETags. */
@Injectable()
export class UsersDiscovery implements OnModuleInit {
  constructor(private readonly registry: DiscoveryRegistry) {}

  onModuleInit(): void {
    this.registry.registerResourceType(USER_RESOURCE_TYPE);
    this.registry.enableFeatures({ patch: true, changePassword: true, etag: true });
  }
}
