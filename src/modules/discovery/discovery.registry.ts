import { Injectable } from '@nestjs/common';
import type { ScimFeatures } from '../../scim/discovery.js';
import type { ResourceTypeDefinition } from '../../scim/schemas/characteristics.js';

/**
 * What discovery advertises. Resource modules register their resource type and switch on the
 * features they implement when they start, so discovery never claims more than the code does.
 */
@Injectable()
export class DiscoveryRegistry {
  private readonly resourceTypes: ResourceTypeDefinition[] = [];
  private currentFeatures: ScimFeatures = {
    patch: false,
    bulk: null,
    filter: null,
    changePassword: false,
    sort: false,
    etag: false,
    pagination: null,
  };

  registerResourceType(type: ResourceTypeDefinition): void {
    if (!this.resourceTypes.some((known) => known.id === type.id)) this.resourceTypes.push(type);
  }

  enableFeatures(features: Partial<ScimFeatures>): void {
    this.currentFeatures = { ...this.currentFeatures, ...features };
  }

  get features(): ScimFeatures {
    return this.currentFeatures;
  }

  listResourceTypes(): readonly ResourceTypeDefinition[] {
    return this.resourceTypes;
  }
}
