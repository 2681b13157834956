import { type AttributeResolver, createSchemaResolver } from './filter/attribute-resolver.js';
import type { PatchContext } from './patch/patch-path.js';
import { COMMON_ATTRIBUTES } from './schemas/common.schema.js';
import type { ResourceTypeDefinition, SchemaDefinition } from './schemas/characteristics.js';
import type { ResourceContext } from './validation/resource-context.js';

/**
 * Everything the protocol needs to know about one resource type, derived once from its schemas:
 * the RFC 7643 §6 ResourceType that discovery serves, the context that validation and
 * projection read, the PATCH context (RFC 7644 §3.5.2) and the attribute lookup of filters and
 * sortBy (§3.10). Discovery, validation, PATCH and filters cannot disagree, since they share it.
 */
export interface ScimResourceType {
  readonly discovery: ResourceTypeDefinition;
  readonly context: ResourceContext;
  readonly patchContext: PatchContext;
  readonly resolve: AttributeResolver;
  /** The core schema's URN and the extensions', as a body's `schemas` may list them. */
  readonly schemaUrns: readonly string[];
}

export interface ResourceTypeSpec {
  /** RFC 7643 §6 `id` and `name`, e.g. "User". */
  readonly name: string;
  /** RFC 7643 §6 `endpoint`, relative to the SCIM base URL, e.g. "/Users". */
  readonly endpoint: string;
  readonly description: string;
  readonly core: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
}

/** RFC 7643 §6: one resource type's schemas, and what each part of the protocol reads of them. */
export function defineScimResourceType(spec: ResourceTypeSpec): ScimResourceType {
  const extensionSchemas = spec.extensions.map((extension) => extension.schema);
  return {
    discovery: {
      id: spec.name,
      name: spec.name,
      endpoint: spec.endpoint,
      description: spec.description,
      schema: spec.core.id,
      schemaExtensions: spec.extensions.map(({ schema, required }) => ({ schema: schema.id, required })),
    },
    context: { coreSchema: spec.core, extensions: spec.extensions, commonAttributes: COMMON_ATTRIBUTES },
    patchContext: { coreSchema: spec.core, extensions: extensionSchemas, commonAttributes: COMMON_ATTRIBUTES },
    resolve: createSchemaResolver([spec.core, ...extensionSchemas], COMMON_ATTRIBUTES),
    schemaUrns: [spec.core.id, ...extensionSchemas.map((schema) => schema.id)],
  };
}
