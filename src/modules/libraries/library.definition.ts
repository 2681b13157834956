import { LibraryEntity } from '../../database/entities/library.entity.js';
import { defineScimResourceType } from '../../scim/resource-type.js';
import { librarySchema } from '../../scim/schemas/index.js';
import { resourceTable } from '../../database/query/resource-table.js';
import type { ResourceDefinition } from '../resources/resource-definition.js';

/** The platform's content libraries: Roster's own resource type, read through SCIM, managed through the admin API. */
export const LIBRARIES: ResourceDefinition<LibraryEntity> = {
  type: defineScimResourceType({ name: 'Library', endpoint: '/Libraries', description: 'Platform content library', core: librarySchema, extensions: [] }),
  table: resourceTable({
    resourceType: 'Library',
    table: 'libraries',
    valuesTable: 'library_values',
    softDeleted: false,
    relations: [],
  }),
  entity: LibraryEntity,
  // FOR UPDATE, the strongest row lock: a library write may end in deleting the row.
  writeLock: 'pessimistic_write',
  order: 3,
};
