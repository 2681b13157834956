import {
  binaryAttr,
  booleanAttr,
  CERTIFICATE_MAX_LENGTH,
  complexAttr,
  multiValuedComplexAttr,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  referenceAttr,
  stringAttr,
  typedValuesAttr,
} from './attribute-builders.js';
import type { SchemaDefinition } from './characteristics.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

const readOnly = { mutability: 'readOnly' } as const;

/** The core User schema: RFC 7643 §4.1, characteristics as in §8.7.1. */
export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    stringAttr(
      'userName',
      "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value. This identifier MUST be unique across the service provider's entire set of Users.",
      { required: true, uniqueness: 'server', maxLength: NAME_MAX_LENGTH },
    ),
    complexAttr(
      'name',
      "The components of the user's real name. Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both.",
      [
        stringAttr('formatted', "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III')."),
        stringAttr('familyName', "The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III')."),
        stringAttr('givenName', "The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III')."),
        stringAttr('middleName', "The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III')."),
        stringAttr('honorificPrefix', "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III')."),
        stringAttr('honorificSuffix', "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III')."),
      ],
    ),
    stringAttr(
      'displayName',
      'The name of the User, suitable for display to end-users. The name SHOULD be the full name of the User being described, if known.',
      { maxLength: NAME_MAX_LENGTH },
    ),
    stringAttr('nickName', "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'. This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge')."),
    referenceAttr('profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", ['external']),
    stringAttr('title', "The user's title, such as 'Vice President'."),
    stringAttr('userType', "Used to identify the relationship between the organization and the user. Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used."),
    stringAttr('preferredLanguage', "Indicates the User's preferred written or spoken language. Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US."),
    stringAttr('locale', "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."),
    stringAttr('timezone', "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
    booleanAttr('active', "A Boolean value indicating the User's administrative status."),
    // RFC 7643 §4.1.1: the cleartext password is never returned, in any form.
    stringAttr(
      'password',
      "The User's cleartext password. This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.",
      { mutability: 'writeOnly', returned: 'never', maxLength: PASSWORD_MAX_LENGTH },
    ),
    typedValuesAttr(
      'emails',
      "Email addresses for the user. The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
      stringAttr('value', "Email addresses for the user. The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'."),
      ['work', 'home', 'other'],
    ),
    typedValuesAttr(
      'phoneNumbers',
      "Phone numbers for the User. The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
      stringAttr('value', 'Phone number of the User.'),
      ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    ),
    typedValuesAttr(
      'ims',
      'Instant messaging addresses for the User.',
      stringAttr('value', 'Instant messaging address for the User.'),
      ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    ),
    typedValuesAttr(
      'photos',
      'URLs of photos of the User.',
      referenceAttr('value', 'URL of a photo of the User.', ['external']),
      ['photo', 'thumbnail'],
    ),
    // RFC 7643 §8.7.1 omits "primary" here, but §2.4 gives it to multi-valued attributes and §8.2 uses it.
    multiValuedComplexAttr(
      'addresses',
      "A physical mailing address for this User. Canonical type values of 'work', 'home', and 'other'. This attribute is a complex type with the following sub-attributes.",
      [
        stringAttr('formatted', 'The full mailing address, formatted for display or use with a mailing label. This attribute MAY contain newlines.'),
        stringAttr('streetAddress', 'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information. This attribute MAY contain newlines.'),
        stringAttr('locality', 'The city or locality component.'),
        stringAttr('region', 'The state or region component.'),
        stringAttr('postalCode', 'The zip code or postal code component.'),
        stringAttr('country', 'The country name component.'),
        stringAttr('type', "A label indicating the attribute's function, e.g., 'work' or 'home'.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        booleanAttr('primary', "A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address or primary email address. The primary attribute value 'true' MUST appear no more than once."),
      ],
    ),
    // RFC 7643 §4.1.2: membership is changed through the Group resource, never here.
    // No maxItems: Roster limits are for input, and clients cannot write groups.
    multiValuedComplexAttr(
      'groups',
      "A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.",
      [
        stringAttr('value', "The identifier of the User's group.", readOnly),
        referenceAttr('$ref', "The URI of the corresponding 'Group' resource to which the user belongs.", ['User', 'Group'], readOnly),
        stringAttr('display', 'A human-readable name, primarily used for display purposes.', readOnly),
        stringAttr('type', "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.", {
          ...readOnly,
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
      { ...readOnly, maxItems: undefined },
    ),
    typedValuesAttr(
      'entitlements',
      'A list of entitlements for the User that represent a thing the User has.',
      stringAttr('value', 'The value of an entitlement.'),
      [],
    ),
    typedValuesAttr(
      'roles',
      'A list of roles for the User that collectively represent who the User is, e.g., \'Student\', \'Faculty\'.',
      stringAttr('value', 'The value of a role.'),
      [],
    ),
    typedValuesAttr(
      'x509Certificates',
      'A list of certificates issued to the User.',
      binaryAttr('value', 'The value of an X.509 certificate.', { maxLength: CERTIFICATE_MAX_LENGTH }),
      [],
    ),
  ],
};
