import { createSchemaResolver } from '../../scim/filter/attribute-resolver.js';
import type { ResourceTypeDefinition } from '../../scim/schemas/characteristics.js';
import { ACCESS_GROUP_SCHEMA, accessGroupSchema, COMMON_ATTRIBUTES, GROUP_SCHEMA, groupSchema } from '../../scim/schemas/index.js';

/** RFC 7643 §4.2 Group with the Roster access extension (the role it grants). */
export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA,
  schemaExtensions: [{ schema: ACCESS_GROUP_SCHEMA, required: false }],
};

/** What validation, PATCH and projection need to know about a Group. */
export const GROUP_CONTEXT = {
  coreSchema: groupSchema,
  extensions: [{ schema: accessGroupSchema, required: false }],
  commonAttributes: COMMON_ATTRIBUTES,
} as const;

export const GROUP_PATCH_CONTEXT = {
  coreSchema: groupSchema,
  extensions: [accessGroupSchema],
  commonAttributes: COMMON_ATTRIBUTES,
};

/** Attribute lookup for filters and sortBy over the Group schemas (RFC 7644 §3.10). */
export const GROUP_RESOLVER = createSchemaResolver([groupSchema, accessGroupSchema], COMMON_ATTRIBUTES);
