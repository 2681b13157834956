import { GroupEntity } from '../../database/entities/group.entity.js';
import { defineScimResourceType } from '../../scim/resource-type.js';
import { ACCESS_GROUP_SCHEMA, accessGroupSchema, groupSchema } from '../../scim/schemas/index.js';
import { resourceTable } from '../../database/query/resource-table.js';
import type { ResourceDefinition } from '../resources/resource-definition.js';

/** RFC 7643 §4.2 Group with the Roster access extension (the role and the libraries it grants). */
export const GROUPS: ResourceDefinition<GroupEntity> = {
  type: defineScimResourceType({
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    core: groupSchema,
    extensions: [{ schema: accessGroupSchema, required: false }],
  }),
  table: resourceTable({
    resourceType: 'Group',
    table: 'groups',
    valuesTable: 'group_values',
    softDeleted: false,
    relations: [
      { attr: 'members', table: 'group_members', ownerColumn: 'group_id', valueColumn: 'member_id' },
      { attr: `${ACCESS_GROUP_SCHEMA}:libraries`.toLowerCase(), table: 'group_library_grants', ownerColumn: 'group_id', valueColumn: 'library_id' },
    ],
  }),
  entity: GroupEntity,
  // FOR UPDATE, the strongest row lock: a group write may end in deleting the row.
  writeLock: 'pessimistic_write',
  order: 2,
};
