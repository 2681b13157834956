import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { indexedValuesOf } from '../../../scim/query/indexed-values.js';
import { keyPrefixOf } from '../../../scim/query/value-keys.js';
import type { AttributeDefinition } from '../../../scim/schemas/index.js';
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  enterpriseUserSchema,
  NOTIFICATIONS_USER_SCHEMA,
  notificationsUserSchema,
  userSchema,
} from '../../../scim/schemas/index.js';
import type { ResourceContext } from '../../../scim/validation/resource-context.js';
import { userValueRows } from './user-value-rows.js';

// The User resource type as src/modules/users/user-resource.ts (USER_CONTEXT) composes it,
// rebuilt from src/scim because src/database may not import a module.
const USER: ResourceContext = {
  coreSchema: userSchema,
  extensions: [
    { schema: enterpriseUserSchema, required: false },
    { schema: notificationsUserSchema, required: false },
  ],
  commonAttributes: COMMON_ATTRIBUTES,
};

/** Today's rows, as the resource pipeline (ResourceRowsRepository.writeIndex) and indexed-values-store.ts write them. */
function liveRows(data: Record<string, unknown>, id: string) {
  return indexedValuesOf({ ...data, id }, USER).map((row) => ({
    attr: row.attr,
    sub: row.sub,
    element: row.element,
    text_key: row.text,
    key_prefix: row.text === null ? null : keyPrefixOf(row.text),
    num_value: row.num,
  }));
}

// If the live format changes, this spec fails: that change needs a migration of its own that
// rewrites user_values. The frozen copy stays as it is.
describe('the frozen user_values rows of migration 1764200000000', () => {
  const ent = ENTERPRISE_USER_SCHEMA;
  it.each<[string, Record<string, unknown>]>([
    ['a bare user', { schemas: [userSchema.id], userName: 'bjensen' }],
    [
      'an Entra ID user with enterprise manager and string booleans already canonical',
      {
        schemas: [userSchema.id, ent],
        userName: 'Barbara.Jensen@Contoso.COM',
        externalId: 'a1B2-c3D4',
        active: true,
        displayName: 'Barbara Jensen',
        name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen, III' },
        emails: [
          { value: 'bjensen@home.example', type: 'home' },
          { value: 'Barbara.Jensen@Contoso.COM', type: 'work', primary: true },
        ],
        phoneNumbers: [{ value: 'tel:+1-201-555-0123', type: 'work' }, { value: '+44 20 7946 0958', type: 'mobile' }],
        addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza\nSuite 2', locality: 'Hollywood', postalCode: '91608', country: 'USA', primary: true }],
        [ent]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'm-26118915', displayName: 'John Smith' } },
      },
    ],
    [
      'unicode names, compatibility forms and astral characters',
      {
        userName: 'ＭÜLLER@Straße.de',
        name: { givenName: 'Ｊürgen', familyName: 'İnce', middleName: '𝔐𝔞𝔵', honorificSuffix: 'ﬁ' },
        nickName: `${'𝔄'.repeat(150)}${'b'.repeat(100)}`,
        title: 'é'.repeat(300),
        locale: 'de-DE',
        preferredLanguage: 'de',
        timezone: 'Europe/Berlin',
      },
    ],
    [
      'roles, entitlements, certificates, photos, ims and groups',
      {
        userName: 'ops',
        roles: [{ value: 'Writer' }, { value: 'Owner', primary: true }],
        entitlements: [{ value: 'Reports', type: 'Read' }],
        x509Certificates: [{ value: 'TUlJREZqQ0NB' }],
        photos: [{ value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' }],
        ims: [{ value: 'someaimhandle', type: 'aim' }],
        groups: [{ value: 'g-1', display: 'Editors', type: 'direct', $ref: 'https://x/Groups/g-1' }],
        profileUrl: 'https://login.example.com/bjensen',
      },
    ],
    [
      'numbers, dateTimes, nulls, empty values and keys in other cases',
      {
        USERNAME: 'Upper',
        userType: 42,
        displayName: '',
        nickName: null,
        title: '2008-01-23T04:56:22Z',
        active: 'true',
        Emails: [{ VALUE: 'x@y.z', Primary: true }, {}, { value: '', type: null }, 'loose', 7],
        name: 'not an object',
        password: 'never indexed',
        meta: { created: '2024-01-01T00:00:00Z' },
        'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Manager: 'm-1', costCenter: 4130 },
        [NOTIFICATIONS_USER_SCHEMA]: { sendInvitation: false },
        unknownAttribute: 'ignored',
      },
    ],
  ])('equal the live rows for %s', (_label, data) => {
    expect(userValueRows(data, 'u-1')).toEqual(liveRows(data, 'u-1'));
  });

  it('equal the live rows for any user document', () => {
    fc.assert(
      fc.property(userDocument(), fc.constantFrom('u-1', 'ID-Mixed', '0b6f7a3e-0000-4000-8000-000000000000'), (data, id) => {
        expect(userValueRows(data, id)).toEqual(liveRows(data, id));
      }),
      { numRuns: 500 },
    );
  });
});

const text = fc.oneof(
  fc.constantFrom('', ' ', 'Ada', 'ÄÖÜ', 'ß', 'İ', 'Ｆｕｌｌ', 'ﬁ', '𝔘𝔫𝔦', 'work', 'WORK', 'a@B.example', '2008-01-23T04:56:22Z', 'True'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 199, maxLength: 260 }),
);
const scalar = fc.oneof(text, fc.boolean(), fc.integer(), fc.double(), fc.constant(null));

/** A name as sent: the schema's spelling, or in another case. */
const spelling = (name: string) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase());

function objectOf(entries: fc.Arbitrary<[string, unknown]>[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(...entries.map((entry) => fc.option(entry, { nil: undefined }))).map((pairs) => {
    const object: Record<string, unknown> = {};
    for (const pair of pairs) if (pair !== undefined) object[pair[0]] = pair[1];
    return object;
  });
}

function complexValue(attribute: AttributeDefinition): fc.Arbitrary<Record<string, unknown>> {
  const subs = (attribute.subAttributes ?? []).map((sub) => fc.tuple(spelling(sub.name), sub.type === 'boolean' ? fc.oneof(fc.boolean(), scalar) : scalar));
  return objectOf([...subs, fc.tuple(fc.constant('unknown'), scalar)]);
}

function attributeValue(attribute: AttributeDefinition): fc.Arbitrary<unknown> {
  const one = attribute.type === 'complex' ? fc.oneof(complexValue(attribute), scalar) : scalar;
  return attribute.multiValued ? fc.oneof(fc.array(one, { maxLength: 4 }), one) : fc.oneof({ weight: 4, arbitrary: one }, { weight: 1, arbitrary: fc.array(one, { maxLength: 2 }) });
}

function attributesOf(attributes: readonly AttributeDefinition[]): fc.Arbitrary<Record<string, unknown>> {
  return objectOf(attributes.map((attribute) => fc.tuple(spelling(attribute.name), attributeValue(attribute))));
}

/** User documents as stored, and some no validation would have let through. */
function userDocument(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      attributesOf([...userSchema.attributes, ...COMMON_ATTRIBUTES]),
      fc.option(fc.tuple(spelling(ENTERPRISE_USER_SCHEMA), attributesOf(enterpriseUserSchema.attributes)), { nil: undefined }),
      fc.option(fc.tuple(spelling(NOTIFICATIONS_USER_SCHEMA), attributesOf(notificationsUserSchema.attributes)), { nil: undefined }),
    )
    .map(([core, ...extensions]) => {
      const document: Record<string, unknown> = { schemas: [userSchema.id], ...core };
      for (const extension of extensions) if (extension !== undefined) document[extension[0]] = extension[1];
      return document;
    });
}
