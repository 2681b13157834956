import type { AttributeDefinition, SchemaDefinition } from './characteristics.js';
import {
  ACCESS_GROUP_SCHEMA,
  ACCESS_USER_SCHEMA,
  ALL_SCHEMAS,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  findSchema,
  GROUP_SCHEMA,
  LIBRARY_SCHEMA,
  NOTIFICATIONS_USER_SCHEMA,
  USER_SCHEMA,
} from './index.js';

type Owner = [label: string, attributes: readonly AttributeDefinition[]];

const OWNERS: Owner[] = [
  ...ALL_SCHEMAS.map((schema): Owner => [schema.id, schema.attributes]),
  ['common attributes', COMMON_ATTRIBUTES],
];

/** Every attribute with its dotted path, sub-attributes included. */
function flatten(attributes: readonly AttributeDefinition[], prefix = ''): [string, AttributeDefinition][] {
  return attributes.flatMap((attribute): [string, AttributeDefinition][] => [
    [`${prefix}${attribute.name}`, attribute],
    ...flatten(attribute.subAttributes ?? [], `${prefix}${attribute.name}.`),
  ]);
}

const ALL_ATTRIBUTES = OWNERS.flatMap(([label, attributes]) =>
  flatten(attributes).map(([path, attribute]): [string, AttributeDefinition] => [`${label}:${path}`, attribute]),
);

function schema(urn: string): SchemaDefinition {
  const found = findSchema(urn);
  if (!found) throw new Error(`no schema ${urn}`);
  return found;
}

function attributeAt(attributes: readonly AttributeDefinition[], path: string): AttributeDefinition {
  const [head, ...rest] = path.split('.');
  const found = attributes.find((a) => a.name.toLowerCase() === head.toLowerCase());
  if (!found) throw new Error(`no attribute ${path}`);
  return rest.length ? attributeAt(found.subAttributes ?? [], rest.join('.')) : found;
}

const TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'];
const MUTABILITIES = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED = ['always', 'never', 'default', 'request'];
const UNIQUENESS = ['none', 'server', 'global'];

describe('every attribute definition', () => {
  it.each(ALL_ATTRIBUTES)('%s carries every RFC 7643 §7 characteristic', (_path, attribute) => {
    expect(attribute.name).toMatch(/^\$?[A-Za-z][\w-]*$/);
    expect(TYPES).toContain(attribute.type);
    expect(typeof attribute.multiValued).toBe('boolean');
    expect(attribute.description.length).toBeGreaterThan(0);
    expect(typeof attribute.required).toBe('boolean');
    expect(typeof attribute.caseExact).toBe('boolean');
    expect(MUTABILITIES).toContain(attribute.mutability);
    expect(RETURNED).toContain(attribute.returned);
    expect(UNIQUENESS).toContain(attribute.uniqueness);
  });

  it.each(ALL_ATTRIBUTES)('%s has sub-attributes exactly when complex, one level deep', (_path, attribute) => {
    if (attribute.type === 'complex') {
      expect(attribute.subAttributes?.length).toBeGreaterThan(0);
      // RFC 7643 §2.3.8: a complex attribute MUST NOT contain sub-attributes that have sub-attributes.
      for (const sub of attribute.subAttributes ?? []) expect(sub.type).not.toBe('complex');
    } else {
      expect(attribute.subAttributes).toBeUndefined();
    }
  });

  it.each(ALL_ATTRIBUTES)('%s has referenceTypes exactly when a reference', (_path, attribute) => {
    if (attribute.type === 'reference') expect(attribute.referenceTypes?.length).toBeGreaterThan(0);
    else expect(attribute.referenceTypes).toBeUndefined();
  });

  it.each(ALL_ATTRIBUTES)('%s has no key left undefined', (_path, attribute) => {
    expect(Object.values(attribute)).not.toContain(undefined);
  });
});

describe('attribute names', () => {
  const lists: [string, readonly AttributeDefinition[]][] = OWNERS.flatMap(([label, attributes]) => [
    [label, attributes] as [string, readonly AttributeDefinition[]],
    ...flatten(attributes)
      .filter(([, a]) => a.subAttributes)
      .map(([path, a]): [string, readonly AttributeDefinition[]] => [`${label}:${path}`, a.subAttributes ?? []]),
  ]);

  it.each(lists)('are unique case-insensitively in %s', (_label, attributes) => {
    const names = attributes.map((a) => a.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  // RFC 7643 §3.1: common attributes are not part of any schema.
  it.each(ALL_SCHEMAS.map((s) => [s.id, s]))('leave id, externalId and meta out of %s', (_id, s) => {
    const names = s.attributes.map((a) => a.name.toLowerCase());
    for (const common of ['id', 'externalid', 'meta']) expect(names).not.toContain(common);
  });
});

it('the User schema lists every attribute of RFC 7643 §4.1, in order', () => {
  expect(schema(USER_SCHEMA).attributes.map((a) => a.name)).toEqual([
    'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType',
    'preferredLanguage', 'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers',
    'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates',
  ]);
});

describe('characteristics that behaviour depends on', () => {
  it.each<[string, string, Partial<AttributeDefinition>]>([
    [USER_SCHEMA, 'userName', { type: 'string', required: true, uniqueness: 'server', caseExact: false }],
    [USER_SCHEMA, 'password', { mutability: 'writeOnly', returned: 'never' }],
    [USER_SCHEMA, 'groups', { mutability: 'readOnly', multiValued: true }],
    [USER_SCHEMA, 'groups.value', { mutability: 'readOnly' }],
    [USER_SCHEMA, 'groups.$ref', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }],
    [USER_SCHEMA, 'groups.display', { mutability: 'readOnly' }],
    [USER_SCHEMA, 'groups.type', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }],
    [USER_SCHEMA, 'emails.type', { canonicalValues: ['work', 'home', 'other'] }],
    [USER_SCHEMA, 'phoneNumbers.type', { canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] }],
    [USER_SCHEMA, 'ims.type', { canonicalValues: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'] }],
    [USER_SCHEMA, 'photos.type', { canonicalValues: ['photo', 'thumbnail'] }],
    [USER_SCHEMA, 'photos.value', { type: 'reference', referenceTypes: ['external'] }],
    [USER_SCHEMA, 'addresses.type', { canonicalValues: ['work', 'home', 'other'] }],
    [USER_SCHEMA, 'addresses.primary', { type: 'boolean' }],
    [USER_SCHEMA, 'profileUrl', { type: 'reference', referenceTypes: ['external'] }],
    [USER_SCHEMA, 'active', { type: 'boolean' }],
    [USER_SCHEMA, 'x509Certificates.value', { type: 'binary', caseExact: true }],
    [ENTERPRISE_USER_SCHEMA, 'manager', { type: 'complex', multiValued: false }],
    [ENTERPRISE_USER_SCHEMA, 'manager.displayName', { mutability: 'readOnly' }],
    [ENTERPRISE_USER_SCHEMA, 'manager.$ref', { referenceTypes: ['User'] }],
    [GROUP_SCHEMA, 'displayName', { required: true }],
    [GROUP_SCHEMA, 'members', { multiValued: true, mutability: 'readWrite' }],
    [GROUP_SCHEMA, 'members.value', { mutability: 'immutable' }],
    [GROUP_SCHEMA, 'members.$ref', { mutability: 'immutable', referenceTypes: ['User'] }],
    [GROUP_SCHEMA, 'members.display', { mutability: 'readOnly' }],
    [GROUP_SCHEMA, 'members.type', { mutability: 'immutable', canonicalValues: ['User'] }],
    [ACCESS_USER_SCHEMA, 'effectiveRoles', { type: 'string', multiValued: true, mutability: 'readOnly' }],
    [ACCESS_GROUP_SCHEMA, 'role', { type: 'string', multiValued: false }],
    [NOTIFICATIONS_USER_SCHEMA, 'sendInvitation', { type: 'boolean', returned: 'default' }],
    [LIBRARY_SCHEMA, 'displayName', { required: true, uniqueness: 'server' }],
  ])('%s %s', (urn, path, expected) => {
    expect(attributeAt(schema(urn).attributes, path)).toMatchObject(expected);
  });

  // Grants name a Library by id (or displayName on input); Roster fills in display and $ref.
  it.each([ACCESS_USER_SCHEMA, ACCESS_GROUP_SCHEMA])('%s grants libraries by value, display and $ref read-only', (urn) => {
    const libraries = schema(urn).attributes.find((a) => a.name === 'libraries');
    expect(libraries).toMatchObject({ type: 'complex', multiValued: true, mutability: 'readWrite' });
    expect(libraries?.subAttributes?.map((sub) => [sub.name, sub.mutability])).toEqual([
      ['value', 'readWrite'],
      ['display', 'readOnly'],
      ['$ref', 'readOnly'],
    ]);
  });

  it.each<[string, Partial<AttributeDefinition>]>([
    ['id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }],
    ['externalId', { caseExact: true, mutability: 'readWrite' }],
    ['meta', { type: 'complex', mutability: 'readOnly' }],
    ['meta.resourceType', { caseExact: true, mutability: 'readOnly' }],
    ['meta.created', { type: 'dateTime', mutability: 'readOnly' }],
    ['meta.lastModified', { type: 'dateTime', mutability: 'readOnly' }],
    ['meta.location', { type: 'reference', referenceTypes: ['uri'], mutability: 'readOnly' }],
    ['meta.version', { caseExact: true, mutability: 'readOnly' }],
  ])('common attribute %s', (path, expected) => {
    expect(attributeAt(COMMON_ATTRIBUTES, path)).toMatchObject(expected);
  });
});

describe('Roster input limits', () => {
  const writable = ALL_ATTRIBUTES.filter(([, a]) => a.mutability !== 'readOnly');

  it.each(writable.filter(([, a]) => a.multiValued))('%s has maxItems unless it is Group members', (path, a) => {
    if (path === `${GROUP_SCHEMA}:members`) expect(a.maxItems).toBeUndefined();
    else expect(a.maxItems).toBeGreaterThan(0);
  });

  it.each(writable.filter(([, a]) => ['string', 'reference', 'binary'].includes(a.type)))(
    '%s has maxLength',
    (_path, a) => expect(a.maxLength).toBeGreaterThan(0),
  );

  it.each<[string, string, number]>([
    [USER_SCHEMA, 'userName', 256],
    [USER_SCHEMA, 'displayName', 256],
    [USER_SCHEMA, 'password', 256],
    [USER_SCHEMA, 'profileUrl', 2048],
    [USER_SCHEMA, 'photos.value', 2048],
    [USER_SCHEMA, 'x509Certificates.value', 16384],
    [USER_SCHEMA, 'title', 1024],
  ])('%s %s accepts at most %i characters', (urn, path, limit) => {
    expect(attributeAt(schema(urn).attributes, path).maxLength).toBe(limit);
  });
});

describe('findSchema', () => {
  it.each(ALL_SCHEMAS.map((s) => [s.id, s]))('finds %s in any case', (urn, s) => {
    expect(findSchema(urn)).toBe(s);
    expect(findSchema(urn.toUpperCase())).toBe(s);
    expect(findSchema(urn.toLowerCase())).toBe(s);
  });

  it.each(['', 'urn:ietf:params:scim:schemas:core:2.0', 'urn:ietf:params:scim:schemas:core:2.0:User:name'])(
    'returns undefined for %j',
    (urn) => expect(findSchema(urn)).toBeUndefined(),
  );

  it('serves seven schemas with distinct URNs matching their constants', () => {
    expect(ALL_SCHEMAS.map((s) => s.id)).toEqual([
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
      ACCESS_USER_SCHEMA,
      NOTIFICATIONS_USER_SCHEMA,
      GROUP_SCHEMA,
      ACCESS_GROUP_SCHEMA,
      LIBRARY_SCHEMA,
    ]);
    expect(new Set(ALL_SCHEMAS.map((s) => s.id.toLowerCase())).size).toBe(ALL_SCHEMAS.length);
  });
});
