import { describe, expect, it } from '@jest/globals';
import { ScimError } from '../errors.js';
import { dateTimeAttr, multiValuedComplexAttr, stringAttr } from '../schemas/attribute-builders.js';
import {
  ACCESS_USER_SCHEMA,
  accessUserSchema,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  enterpriseUserSchema,
  GROUP_SCHEMA,
  groupSchema,
  NOTIFICATIONS_USER_SCHEMA,
  notificationsUserSchema,
  USER_SCHEMA,
  userSchema,
} from '../schemas/index.js';
import { type ResourceContext, validateResource } from './validate-resource.js';

const users: ResourceContext = {
  coreSchema: userSchema,
  extensions: [
    { schema: enterpriseUserSchema, required: false },
    { schema: accessUserSchema, required: false },
    { schema: notificationsUserSchema, required: false },
  ],
  commonAttributes: COMMON_ATTRIBUTES,
};
const groups: ResourceContext = { coreSchema: groupSchema, extensions: [], commonAttributes: COMMON_ATTRIBUTES };
const ENT = ENTERPRISE_USER_SCHEMA;
const CERT = 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw';

const user = (extra: Record<string, unknown>): Record<string, unknown> => ({ schemas: [USER_SCHEMA], userName: 'bjensen', ...extra });

function errorOf(run: () => unknown): { scimType?: string; detail: string } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return { scimType: error.scimType, detail: error.detail };
    throw error;
  }
  return undefined;
}

describe('validateResource', () => {
  it('accepts an RFC 7643 §8.3 enterprise user and returns it canonical, readOnly values dropped', () => {
    const body = {
      schemas: [USER_SCHEMA, ENT],
      id: '2819c223-7f76-453a-919d-413861904646',
      externalId: '701984',
      userName: 'bjensen@example.com',
      name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
      displayName: 'Babs Jensen',
      nickName: 'Babs',
      profileUrl: 'https://login.example.com/bjensen',
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', primary: true }],
      phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
      ims: [{ value: 'someaimhandle', type: 'aim' }],
      photos: [{ value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' }],
      userType: 'Employee',
      title: 'Tour Guide',
      preferredLanguage: 'en-US',
      locale: 'en-US',
      timezone: 'America/Los_Angeles',
      active: true,
      password: 't1meMa$heen',
      groups: [{ value: 'e9e30dba-f08f-4109-8486-d5c6a331660a', display: 'Tour Guides' }],
      x509Certificates: [{ value: CERT }],
      [ENT]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Universal Studios',
        division: 'Theme Park',
        department: 'Tour Operations',
        manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
      },
      meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', version: 'W/"3694e05e9dff591"' },
    };
    const { id: _id, groups: _groups, meta: _meta, ...writable } = body;
    const { displayName: _manager, ...manager } = body[ENT].manager;
    expect(validateResource(body, users)).toEqual({ ...writable, [ENT]: { ...body[ENT], manager } });
  });

  it('spells attribute names and URNs as the schemas do, whatever case the client used', () => {
    const body = {
      SCHEMAS: ['URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER'],
      USERNAME: 'ada',
      Name: { GivenName: 'Ada' },
      EMAILS: [{ VALUE: 'ada@x.org', Primary: 'True' }],
      [ENT.toUpperCase()]: { DEPARTMENT: 'R&D' },
    };
    expect(validateResource(body, users)).toEqual({
      schemas: [USER_SCHEMA, ENT],
      userName: 'ada',
      name: { givenName: 'Ada' },
      emails: [{ value: 'ada@x.org', primary: true }],
      [ENT]: { department: 'R&D' },
    });
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    ['booleans sent as "True"/"false"', { active: 'True', [NOTIFICATIONS_USER_SCHEMA]: { sendInvitation: 'false' } }, { active: true, [NOTIFICATIONS_USER_SCHEMA]: { sendInvitation: false } }],
    ['roles and entitlements as plain strings', { roles: ['admin'], entitlements: ['reports'] }, { roles: [{ value: 'admin' }], entitlements: [{ value: 'reports' }] }],
    ['the manager as an id string', { [ENT]: { manager: 'm-1' } }, { [ENT]: { manager: { value: 'm-1' } } }],
    ['null as unassigned', { displayName: null, emails: [null], [ENT]: null }, {}],
    ['effectiveRoles, which is readOnly, ignored', { [ACCESS_USER_SCHEMA]: { effectiveRoles: ['owner'] } }, {}],
    ['emoji counted as one character each', { displayName: '😀'.repeat(256) }, { displayName: '😀'.repeat(256) }],
    ['custom email types, since canonical values are only examples', { emails: [{ value: 'a@x.org', type: 'alias' }] }, { emails: [{ value: 'a@x.org', type: 'alias' }] }],
  ])('accepts %s', (_name, extra, expected) => {
    const result = validateResource(user(extra as Record<string, unknown>), users);
    const { schemas: _schemas, userName: _userName, ...rest } = result;
    expect(rest).toEqual(expected);
  });

  it('lists in schemas only the extensions that carry data, even when the client omitted their URN', () => {
    const body = { schemas: [USER_SCHEMA, ACCESS_USER_SCHEMA], userName: 'ada', [ENT]: { department: 'R&D' } };
    expect(validateResource(body, users).schemas).toEqual([USER_SCHEMA, ENT]);
  });

  it('requires displayName on a Group', () => {
    expect(validateResource({ schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: 'u1' }] }, groups)).toEqual({
      schemas: [GROUP_SCHEMA],
      displayName: 'Staff',
      members: [{ value: 'u1' }],
    });
    expect(errorOf(() => validateResource({ schemas: [GROUP_SCHEMA] }, groups))).toEqual({ scimType: 'invalidValue', detail: '"displayName" is required and must not be empty' });
  });

  it('requires an extension the resource type marks required', () => {
    const strict: ResourceContext = { ...users, extensions: [{ schema: enterpriseUserSchema, required: true }] };
    expect(errorOf(() => validateResource(user({}), strict))).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(ENT) });
  });

  it.each<[string, unknown, string, string]>([
    ['a body that is not an object', [], 'invalidSyntax', 'JSON object'],
    ['a body without schemas', { userName: 'ada' }, 'invalidSyntax', USER_SCHEMA],
    ['schemas that is a string', { schemas: USER_SCHEMA, userName: 'ada' }, 'invalidSyntax', USER_SCHEMA],
    ['schemas without the core URN', { schemas: [ENT], userName: 'ada' }, 'invalidSyntax', `must include "${USER_SCHEMA}"`],
    ['an unknown schema URN', user({ schemas: [USER_SCHEMA, 'urn:example:x'] }), 'invalidSyntax', 'urn:example:x'],
    ['an unknown attribute', user({ nickname2: 'x' }), 'invalidValue', '"nickname2"'],
    ['an unknown sub-attribute', user({ name: { nick: 'x' } }), 'invalidValue', '"nick"'],
    ['an unknown extension attribute', user({ [ENT]: { floor: 3 } }), 'invalidValue', `${ENT}:floor`],
    ['__proto__', JSON.parse('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","__proto__":{"x":1}}'), 'invalidValue', '"__proto__"'],
    ['constructor', user({ constructor: 'x' }), 'invalidValue', '"constructor"'],
    ['prototype inside a complex value', user({ name: { prototype: 'x' } }), 'invalidValue', '"prototype"'],
    ['__proto__ inside an extension', { schemas: [USER_SCHEMA], userName: 'a', [ENT]: JSON.parse('{"__proto__":{"x":1}}') }, 'invalidValue', '__proto__'],
    ['an attribute sent twice in different case', user({ USERNAME: 'b' }), 'invalidValue', 'more than once'],
    ['a missing userName', { schemas: [USER_SCHEMA] }, 'invalidValue', '"userName" is required'],
    ['an empty userName', user({ userName: '' }), 'invalidValue', '"userName" is required'],
    ['a blank userName', user({ userName: '   ' }), 'invalidValue', '"userName" is required'],
    ['a numeric userName', user({ userName: 42 }), 'invalidValue', '"userName" is string'],
    ['a boolean that is "maybe"', user({ active: 'maybe' }), 'invalidValue', '"active" is boolean'],
    ['emails as one object', user({ emails: { value: 'a@x.org' } }), 'invalidValue', '"emails" is multi-valued'],
    ['name as an array', user({ name: [{ givenName: 'a' }] }), 'invalidValue', '"name" is single-valued'],
    ['name as a string', user({ name: 'Ada' }), 'invalidValue', '"name" is complex'],
    ['a string nested deeper than the schema allows', user({ name: { givenName: { first: 'a' } } }), 'invalidValue', '"name.givenName" is string'],
    ['an extension that is not an object', user({ [ENT]: 'x' }), 'invalidValue', 'schema extension'],
    ['a library grant without a value', user({ [ACCESS_USER_SCHEMA]: { libraries: [{ display: 'Docs' }] } }), 'invalidValue', 'libraries.value'],
    ['two primary emails', user({ emails: [{ value: 'a@x.org', primary: true }, { value: 'b@x.org', primary: 'true' }] }), 'invalidValue', 'primary'],
    ['a userName over 256 characters', user({ userName: 'a'.repeat(257) }), 'invalidValue', 'longer than 256'],
    ['a sub-attribute over its limit', user({ name: { givenName: 'a'.repeat(1025) } }), 'invalidValue', '"name.givenName" is longer than 1024'],
    ['more than 100 emails', user({ emails: Array.from({ length: 101 }, (_, i) => ({ value: `${i}@x.org` })) }), 'invalidValue', 'at most 100'],
    ['U+0000', user({ displayName: 'a\u0000b' }), 'invalidValue', 'U+0000'],
    ['a NUL in a sub-attribute', user({ emails: [{ value: 'a\u0000@x.org' }] }), 'invalidValue', '"emails.value"'],
    ['a lone high surrogate', user({ displayName: 'a\uD800b' }), 'invalidValue', 'surrogate'],
    ['a lone low surrogate', user({ [ENT]: { department: '\uDC00' } }), 'invalidValue', 'surrogate'],
    ['a certificate that is not base64', user({ x509Certificates: [{ value: 'not base64!' }] }), 'invalidValue', 'base64'],
  ])('rejects %s', (_name, body, scimType, detail) => {
    const error = errorOf(() => validateResource(body, users));
    expect(error?.scimType).toBe(scimType);
    expect(error?.detail).toContain(detail);
  });

  it('does not change the body it was given', () => {
    const body = user({ active: 'True', roles: ['admin'] });
    const copy = structuredClone(body);
    validateResource(body, users);
    expect(body).toEqual(copy);
  });

  // No writable dateTime exists in Roster's schemas yet, so a test-only extension carries one.
  it.each<[unknown, string | undefined]>([
    ['2008-01-23T04:56:22Z', undefined],
    ['2008-01-23T04:56:22.123+02:00', undefined],
    ['23 January 2008', 'invalidValue'],
    [1201064182, 'invalidValue'],
  ])('checks dateTime %p as xsd:dateTime', (value, scimType) => {
    const urn = 'urn:example:params:scim:schemas:extension:hire:2.0:User';
    const hire = { id: urn, name: 'Hire', description: 'test only', attributes: [dateTimeAttr('hiredAt', 'When the User was hired.')] };
    const context: ResourceContext = { ...users, extensions: [{ schema: hire, required: false }] };
    expect(errorOf(() => validateResource(user({ [urn]: { hiredAt: value } }), context))?.scimType).toBe(scimType);
  });

  // No writable required sub-attribute exists in Roster's schemas yet, so a test-only extension carries one.
  it('requires a required sub-attribute in every element, ignoring readOnly ones beside it', () => {
    const urn = 'urn:example:params:scim:schemas:extension:badges:2.0:User';
    const badges = multiValuedComplexAttr('badges', 'Badges the User holds.', [
      stringAttr('value', 'The id of the badge.', { required: true }),
      stringAttr('display', 'The name of the badge.', { mutability: 'readOnly' }),
    ]);
    const context: ResourceContext = { ...users, extensions: [{ schema: { id: urn, name: 'Badges', description: 'test only', attributes: [badges] }, required: false }] };
    expect(validateResource(user({ [urn]: { badges: [{ value: 'b1', display: 'Gold' }] } }), context)[urn]).toEqual({ badges: [{ value: 'b1' }] });
    expect(errorOf(() => validateResource(user({ [urn]: { badges: [{ display: 'Gold' }] } }), context))).toEqual({
      scimType: 'invalidValue',
      detail: `"${urn}:badges.value" is required and must not be empty`,
    });
  });
});
