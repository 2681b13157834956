import { createSchemaResolver } from '../../scim/filter/attribute-resolver.js';
import type { ResourceTypeDefinition } from '../../scim/schemas/characteristics.js';
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  NOTIFICATIONS_USER_SCHEMA,
  USER_SCHEMA,
  enterpriseUserSchema,
  notificationsUserSchema,
  userSchema,
} from '../../scim/schemas/index.js';

/**
 * The User resource type as served now. The access extension joins when libraries and group
 * roles land, so that validation never accepts data nothing can act on.
 */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA,
  schemaExtensions: [
    { schema: ENTERPRISE_USER_SCHEMA, required: false },
    { schema: NOTIFICATIONS_USER_SCHEMA, required: false },
  ],
};

/** What validation, PATCH and projection need to know about a User. */
export const USER_CONTEXT = {
  coreSchema: userSchema,
  extensions: [
    { schema: enterpriseUserSchema, required: false },
    { schema: notificationsUserSchema, required: false },
  ],
  commonAttributes: COMMON_ATTRIBUTES,
} as const;

export const USER_PATCH_CONTEXT = {
  coreSchema: userSchema,
  extensions: USER_CONTEXT.extensions.map((extension) => extension.schema),
  commonAttributes: COMMON_ATTRIBUTES,
};

/** Attribute lookup for filters and sortBy over the User schemas (RFC 7644 §3.10). */
export const USER_RESOLVER = createSchemaResolver(
  [USER_CONTEXT.coreSchema, ...USER_CONTEXT.extensions.map((extension) => extension.schema)],
  COMMON_ATTRIBUTES,
);
