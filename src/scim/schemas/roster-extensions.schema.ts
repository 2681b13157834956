import { booleanAttr, multiValuedComplexAttr, NAME_MAX_LENGTH, referenceAttr, stringAttr } from './attribute-builders.js';
import type { SchemaDefinition } from './characteristics.js';

export const ACCESS_USER_SCHEMA = 'urn:roster:params:scim:schemas:extension:access:2.0:User';
export const ACCESS_GROUP_SCHEMA = 'urn:roster:params:scim:schemas:extension:access:2.0:Group';
export const NOTIFICATIONS_USER_SCHEMA = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';
export const LIBRARY_SCHEMA = 'urn:roster:params:scim:schemas:core:2.0:Library';

const readOnly = { mutability: 'readOnly' } as const;

const readOnlyRequested = { mutability: 'readOnly', returned: 'request' } as const;

/** A reference to a Library as Roster answers it; `display` and `$ref` are filled in by Roster. */
const libraryRefSubAttributes = (valueOverrides: { mutability?: 'readOnly'; required?: boolean }) => [
  stringAttr('value', 'The id of a Library of the tenant; on input, its displayName is accepted too (case-insensitively).', {
    maxLength: NAME_MAX_LENGTH,
    ...valueOverrides,
  }),
  stringAttr('display', "The Library's displayName.", { ...readOnly, maxLength: NAME_MAX_LENGTH }),
  referenceAttr('$ref', 'The URI of the Library.', ['Library'], readOnly),
];

/** The libraries granted directly to the resource (a User's own, a Group's for its members). */
const libraryGrants = (holder: string) =>
  multiValuedComplexAttr('libraries', `Content libraries granted to the ${holder}.`, libraryRefSubAttributes({ required: true }));

/** Roster access extension for Users: the libraries granted to a User, and what it ends up holding. */
export const accessUserSchema: SchemaDefinition = {
  id: ACCESS_USER_SCHEMA,
  name: 'AccessUser',
  description: 'Roster access granted to a User',
  attributes: [
    libraryGrants('User'),
    // No maxItems on the derived ones: computed by Roster (own ∪ groups'), never accepted as input.
    stringAttr('effectiveRoles', "The User's direct roles together with the roles of its Groups; none while inactive.", {
      ...readOnlyRequested,
      multiValued: true,
    }),
    multiValuedComplexAttr('effectiveLibraries', "The User's own libraries together with those of its Groups; none while inactive.", libraryRefSubAttributes({ mutability: 'readOnly' }), {
      ...readOnlyRequested,
      maxItems: undefined,
    }),
  ],
};

/** Roster access extension for Groups: the catalog role and the libraries a Group grants its members. */
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
    libraryGrants('Group'),
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
