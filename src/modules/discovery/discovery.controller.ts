import { Get, Inject, Param } from '@nestjs/common';
import { SCIM_BASE_URL } from '../../config/injection-tokens.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import {
  toResourceTypeRepresentation,
  toSchemaRepresentation,
  toServiceProviderConfig,
} from '../../scim/discovery.js';
import { ScimError } from '../../scim/errors.js';
import { toListResponse } from '../../scim/list-response.js';
import { ALL_SCHEMAS, findSchema } from '../../scim/schemas/index.js';
import { DiscoveryRegistry } from './discovery.registry.js';

/** RFC 7644 §4 discovery: no authentication, generated from the schema definitions in code. */
@ScimController()
export class DiscoveryController {
  constructor(
    private readonly registry: DiscoveryRegistry,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
  ) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig() {
    return toServiceProviderConfig(this.registry.features, this.scimBaseUrl);
  }

  @Get('ResourceTypes')
  resourceTypes() {
    return toListResponse(this.registry.listResourceTypes().map((type) => toResourceTypeRepresentation(type, this.scimBaseUrl)));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Param('id') id: string) {
    const type = this.registry.listResourceTypes().find((known) => known.id.toLowerCase() === id.toLowerCase());
    if (!type) throw ScimError.notFound('ResourceType', id);
    return toResourceTypeRepresentation(type, this.scimBaseUrl);
  }

  @Get('Schemas')
  schemas() {
    return toListResponse(ALL_SCHEMAS.map((schema) => toSchemaRepresentation(schema, this.scimBaseUrl)));
  }

  @Get('Schemas/:urn')
  schema(@Param('urn') urn: string) {
    const schema = findSchema(urn);
    if (!schema) throw ScimError.notFound('Schema', urn);
    return toSchemaRepresentation(schema, this.scimBaseUrl);
  }
}
