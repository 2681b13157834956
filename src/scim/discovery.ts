import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schemas/characteristics.js';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
/**
 * Roster's own ServiceProviderConfig members. RFC 7643 §5 fixes the sub-attributes of the core
 * objects (`filter` has `supported` and `maxResults` only), and strict clients refuse others
 * there, so Roster's limits live in an extension object keyed by this URN (RFC 7643 §3.3).
 */
export const ROSTER_LIMITS_SCHEMA = 'urn:roster:params:scim:schemas:extension:limits:2.0:ServiceProviderConfig';

/** What the service implements right now; the ServiceProviderConfig claims exactly this. */
export interface ScimFeatures {
  readonly patch: boolean;
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number } | null;
  readonly filter: { readonly maxResults: number } | null;
  /** How long and how deeply nested a filter may be, served under ROSTER_LIMITS_SCHEMA. */
  readonly filterLimits: FilterLimitsFeature | null;
  readonly changePassword: boolean;
  readonly sort: boolean;
  readonly etag: boolean;
  /** RFC 9865 §4; null until a resource type can be listed. */
  readonly pagination: PaginationFeature | null;
}

export interface FilterLimitsFeature {
  readonly maxFilterLength: number;
  readonly maxFilterDepth: number;
}

export interface PaginationFeature {
  readonly cursor: boolean;
  readonly index: boolean;
  readonly defaultPaginationMethod: 'index' | 'cursor';
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

export interface Meta {
  resourceType: string;
  location: string;
}

/** RFC 7643 §5 ServiceProviderConfig, with Roster's limits as an extension (§3.3) when it has any. */
export function toServiceProviderConfig(features: ScimFeatures, scimBaseUrl: string) {
  const limits = features.filterLimits === null ? {} : { [ROSTER_LIMITS_SCHEMA]: { ...features.filterLimits } };
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA, ...Object.keys(limits)],
    patch: { supported: features.patch },
    bulk: features.bulk
      ? { supported: true, ...features.bulk }
      : { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: features.filter ? { supported: true, ...features.filter } : { supported: false, maxResults: 0 },
    changePassword: { supported: features.changePassword },
    sort: { supported: features.sort },
    etag: { supported: features.etag },
    ...(features.pagination === null ? {} : { pagination: features.pagination }),
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'OAuth 2.0 client-credentials access token from POST /oauth/token, or a long-lived secret token, in the Authorization header.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    ...limits,
    meta: meta('ServiceProviderConfig', `${scimBaseUrl}/ServiceProviderConfig`),
  };
}

/** RFC 7643 §6 ResourceType representation. */
export function toResourceTypeRepresentation(type: ResourceTypeDefinition, scimBaseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema,
    schemaExtensions: type.schemaExtensions.map(({ schema, required }) => ({ schema, required })),
    meta: meta('ResourceType', `${scimBaseUrl}/ResourceTypes/${type.id}`),
  };
}

/** RFC 7643 §7 Schema representation; Roster's own input limits are not part of it. */
export function toSchemaRepresentation(schema: SchemaDefinition, scimBaseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(toAttributeRepresentation),
    meta: meta('Schema', `${scimBaseUrl}/Schemas/${schema.id}`),
  };
}

export interface AttributeRepresentation {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeRepresentation[];
}

function toAttributeRepresentation(attribute: AttributeDefinition): AttributeRepresentation {
  const { name, type, multiValued, description, required, caseExact, mutability, returned, uniqueness } = attribute;
  const representation: AttributeRepresentation = {
    name,
    type,
    multiValued,
    description,
    required,
    caseExact,
    mutability,
    returned,
    uniqueness,
  };
  if (attribute.canonicalValues) representation.canonicalValues = [...attribute.canonicalValues];
  if (attribute.referenceTypes) representation.referenceTypes = [...attribute.referenceTypes];
  if (attribute.subAttributes) representation.subAttributes = attribute.subAttributes.map(toAttributeRepresentation);
  return representation;
}

function meta(resourceType: string, location: string): Meta {
  return { resourceType, location };
}
