import type { SchemaDefinition } from './characteristics.js';
import { enterpriseUserSchema } from './enterprise-user.schema.js';
import { groupSchema } from './group.schema.js';
import {
  accessGroupSchema,
  accessUserSchema,
  librarySchema,
  notificationsUserSchema,
} from './roster-extensions.schema.js';
import { userSchema } from './user.schema.js';

export type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  ResourceTypeDefinition,
  Returned,
  SchemaDefinition,
  Uniqueness,
} from './characteristics.js';
export { COMMON_ATTRIBUTES } from './common.schema.js';
export { ENTERPRISE_USER_SCHEMA, enterpriseUserSchema } from './enterprise-user.schema.js';
export { GROUP_SCHEMA, groupSchema } from './group.schema.js';
export {
  ACCESS_GROUP_SCHEMA,
  ACCESS_USER_SCHEMA,
  accessGroupSchema,
  accessUserSchema,
  LIBRARY_SCHEMA,
  librarySchema,
  NOTIFICATIONS_USER_SCHEMA,
  notificationsUserSchema,
} from './roster-extensions.schema.js';
export { USER_SCHEMA, userSchema } from './user.schema.js';

/** Every schema Roster serves at `/Schemas` (RFC 7644 §4). */
export const ALL_SCHEMAS: readonly SchemaDefinition[] = [
  userSchema,
  enterpriseUserSchema,
  accessUserSchema,
  notificationsUserSchema,
  groupSchema,
  accessGroupSchema,
  librarySchema,
];

const SCHEMAS_BY_URN = new Map(ALL_SCHEMAS.map((schema) => [schema.id.toLowerCase(), schema]));

/** The schema with this URN, compared case-insensitively like URN-prefixed attribute paths (RFC 7644 §3.10). */
export function findSchema(urn: string): SchemaDefinition | undefined {
  return SCHEMAS_BY_URN.get(urn.toLowerCase());
}
