import { multiValuedComplexAttr, NAME_MAX_LENGTH, referenceAttr, stringAttr } from './attribute-builders.js';
import type { SchemaDefinition } from './characteristics.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const immutable = { mutability: 'immutable' } as const;

/** The core Group schema: RFC 7643 §4.2, characteristics as in §8.7.1. */
export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 §4.2 says REQUIRED; it wins over the §8.7.1 listing's "required": false.
    stringAttr('displayName', 'A human-readable name for the Group.', {
      required: true,
      maxLength: NAME_MAX_LENGTH,
    }),
    // No maxItems: groups are roles and routinely hold thousands of users (DESIGN.md).
    // Members are users only: Roster refuses nested groups, so discovery (RFC 7643 §7
    // canonicalValues, referenceTypes) must not offer "Group" to clients that trust it.
    multiValuedComplexAttr(
      'members',
      'A list of members of the Group.',
      [
        stringAttr('value', 'Identifier of the member of this Group.', immutable),
        referenceAttr(
          '$ref',
          'The URI corresponding to a SCIM resource that is a member of this Group.',
          ['User'],
          immutable,
        ),
        // The RFC 7643 §8.4 example carries display; Roster fills it from the member, so it is readOnly.
        stringAttr('display', 'A human-readable name for the member, primarily used for display purposes.', {
          mutability: 'readOnly',
          maxLength: NAME_MAX_LENGTH,
        }),
        stringAttr('type', "A label indicating the type of resource: 'User'.", {
          ...immutable,
          canonicalValues: ['User'],
        }),
      ],
      { maxItems: undefined },
    ),
  ],
};
