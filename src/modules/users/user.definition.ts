import { UserEntity } from '../../database/entities/user.entity.js';
import { defineScimResourceType } from '../../scim/resource-type.js';
import { ACCESS_USER_SCHEMA, accessUserSchema, enterpriseUserSchema, notificationsUserSchema, userSchema } from '../../scim/schemas/index.js';
import { resourceTable } from '../../database/query/resource-table.js';
import type { ResourceDefinition } from '../resources/resource-definition.js';

/**
 * RFC 7643 §4.1 User with the enterprise extension (§4.3) and Roster's access (library grants,
 * effective access) and notifications extensions.
 */
export const USERS: ResourceDefinition<UserEntity> = {
  type: defineScimResourceType({
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    core: userSchema,
    extensions: [
      { schema: enterpriseUserSchema, required: false },
      { schema: notificationsUserSchema, required: false },
      { schema: accessUserSchema, required: false },
    ],
  }),
  table: resourceTable({
    resourceType: 'User',
    table: 'users',
    valuesTable: 'user_values',
    softDeleted: true,
    relations: [
      { attr: 'groups', table: 'group_members', ownerColumn: 'member_id', valueColumn: 'group_id' },
      { attr: `${ACCESS_USER_SCHEMA}:libraries`.toLowerCase(), table: 'user_library_grants', ownerColumn: 'user_id', valueColumn: 'library_id' },
    ],
  }),
  entity: UserEntity,
  // A membership insert's foreign-key check (FOR KEY SHARE) need not wait for a user write.
  writeLock: 'for_no_key_update',
  order: 1,
};
