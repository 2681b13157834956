import { booleanAttr, NAME_MAX_LENGTH, stringAttr } from './attribute-builders.js';
import type { SchemaDefinition } from './characteristics.js';

export const ACCESS_USER_SCHEMA = 'urn:roster:params:scim:schemas:extension:access:2.0:User';
export const ACCESS_GROUP_SCHEMA = 'urn:roster:params:scim:schemas:extension:access:2.0:Group';
export const NOTIFICATIONS_USER_SCHEMA = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';
export const LIBRARY_SCHEMA = 'urn:roster:params:scim:schemas:core:2.0:Library';

const readOnly = { mutability: 'readOnly' } as const;

// Neither access extension has `libraries` yet: grants arrive with the Libraries resource. Until
// then discovery must not advertise a writable attribute every value of which would be refused,
// and a body carrying one is refused like any unknown attribute (400 invalidValue).

/** Roster access extension for Users: the roles a User ends up holding. */
export const accessUserSchema: SchemaDefinition = {
  id: ACCESS_USER_SCHEMA,
  name: 'AccessUser',
  description: 'Roster access granted to a User',
  attributes: [
    // No maxItems: computed by Roster (direct roles ∪ group roles), never accepted as input.
    stringAttr('effectiveRoles', "The User's direct roles together with the roles of its Groups.", {
      ...readOnly,
      multiValued: true,
    }),
  ],
};

/** Roster access extension for Groups: the catalog role a Group grants. */
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
