import {
  booleanAttr,
  multiValuedComplexAttr,
  NAME_MAX_LENGTH,
  referenceAttr,
  stringAttr,
} from './attribute-builders.js';
import type { AttributeDefinition, SchemaDefinition } from './characteristics.js';

export const ACCESS_USER_SCHEMA = 'urn:roster:params:scim:schemas:extension:access:2.0:User';
export const ACCESS_GROUP_SCHEMA = 'urn:roster:params:scim:schemas:extension:access:2.0:Group';
export const NOTIFICATIONS_USER_SCHEMA = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';
export const LIBRARY_SCHEMA = 'urn:roster:params:scim:schemas:core:2.0:Library';

const readOnly = { mutability: 'readOnly' } as const;

// Shared by the User and Group access extensions: a grant names a library by id, Roster
// fills display and $ref (like members in RFC 7643 §4.2).
const libraries: AttributeDefinition = multiValuedComplexAttr('libraries', 'Libraries the resource grants access to.', [
  stringAttr('value', 'The id of the granted Library.', { required: true }),
  stringAttr('display', 'The displayName of the granted Library.', { ...readOnly, maxLength: NAME_MAX_LENGTH }),
  referenceAttr('$ref', 'The URI of the granted Library resource.', ['Library'], readOnly),
]);

/** Roster access extension for Users: library grants and the roles they end up holding. */
export const accessUserSchema: SchemaDefinition = {
  id: ACCESS_USER_SCHEMA,
  name: 'AccessUser',
  description: 'Roster access granted to a User',
  attributes: [
    libraries,
    // No maxItems: computed by Roster (direct roles ∪ group roles), never accepted as input.
    stringAttr('effectiveRoles', "The User's direct roles together with the roles of its Groups.", {
      ...readOnly,
      multiValued: true,
    }),
  ],
};

/** Roster access extension for Groups: the catalog role a Group grants, and its libraries. */
export const accessGroupSchema: SchemaDefinition = {
  id: ACCESS_GROUP_SCHEMA,
  name: 'AccessGroup',
  description: 'Roster access granted through a Group',
  attributes: [
    stringAttr(
      'role',
      "The catalog role the Group grants to its members; defaults to the role named like the Group's displayName.",
      { maxLength: NAME_MAX_LENGTH },
    ),
    libraries,
  ],
};

/** Roster notifications extension for Users. */
export const notificationsUserSchema: SchemaDefinition = {
  id: NOTIFICATIONS_USER_SCHEMA,
  name: 'NotificationsUser',
  description: 'Notifications the platform sends about a User',
  attributes: [
    booleanAttr('sendInvitation', 'On create, asks the platform to send the User an invitation.'),
  ],
};

/** The Library resource: a platform content library, managed through the admin API. */
export const librarySchema: SchemaDefinition = {
  id: LIBRARY_SCHEMA,
  name: 'Library',
  description: 'Platform content library',
  attributes: [
    stringAttr('displayName', 'A human-readable name for the Library, unique within the tenant.', {
      required: true,
      uniqueness: 'server',
      maxLength: NAME_MAX_LENGTH,
    }),
    stringAttr('description', 'What the Library holds.'),
  ],
};
