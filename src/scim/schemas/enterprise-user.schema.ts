import { complexAttr, NAME_MAX_LENGTH, referenceAttr, stringAttr } from './attribute-builders.js';
import type { SchemaDefinition } from './characteristics.js';

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The Enterprise User extension: RFC 7643 §4.3, characteristics as in §8.7.1. */
export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    stringAttr(
      'employeeNumber',
      'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    ),
    stringAttr('costCenter', 'Identifies the name of a cost center.'),
    stringAttr('organization', 'Identifies the name of an organization.'),
    stringAttr('division', 'Identifies the name of a division.'),
    stringAttr('department', 'Identifies the name of a department.'),
    complexAttr(
      'manager',
      "The User's manager. A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
      [
        stringAttr('value', "The id of the SCIM resource representing the User's manager."),
        referenceAttr('$ref', "The URI of the SCIM resource representing the User's manager.", ['User']),
        // RFC 7643 §4.3: the service provider fills displayName from the referenced User.
        stringAttr('displayName', "The displayName of the User's manager.", {
          mutability: 'readOnly',
          maxLength: NAME_MAX_LENGTH,
        }),
      ],
    ),
  ],
};
