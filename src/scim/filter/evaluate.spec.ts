import { describe, expect, it } from '@jest/globals';
import { ScimError } from '../errors.js';
import type { AttributeDefinition, AttributeType, SchemaDefinition } from '../schemas/characteristics.js';
import { type Filter, eq, valuePath } from './ast.js';
import { createSchemaResolver } from './attribute-resolver.js';
import { compileMatcher, matchesFilter } from './evaluate.js';
import { parseFilter } from './parser.js';

// Small inline schemas: the real ones live in src/scim/schemas and change independently.
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function attribute(
  name: string,
  type: AttributeType,
  options: { caseExact?: boolean; multiValued?: boolean; subAttributes?: AttributeDefinition[] } = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: options.multiValued ?? false,
    description: name,
    required: false,
    caseExact: options.caseExact ?? false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
  };
}

const schema = (id: string, attributes: AttributeDefinition[]): SchemaDefinition => ({ id, name: id, description: id, attributes });

const resolve = createSchemaResolver(
  [
    schema(CORE, [
      attribute('userName', 'string'),
      attribute('displayName', 'string'),
      attribute('nickName', 'string'),
      attribute('title', 'string'),
      attribute('active', 'boolean'),
      attribute('loginCount', 'integer'),
      attribute('name', 'complex', { subAttributes: [attribute('givenName', 'string'), attribute('familyName', 'string')] }),
      attribute('emails', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string'), attribute('type', 'string'), attribute('primary', 'boolean')],
      }),
      attribute('x509Certificates', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'binary', { caseExact: true })],
      }),
      attribute('groups', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string'), attribute('$ref', 'reference', { caseExact: true })],
      }),
    ]),
    schema(ENTERPRISE, [
      attribute('employeeNumber', 'string'),
      attribute('manager', 'complex', { subAttributes: [attribute('value', 'string'), attribute('displayName', 'string')] }),
    ]),
  ],
  [
    attribute('id', 'string', { caseExact: true }),
    attribute('externalId', 'string', { caseExact: true }),
    attribute('meta', 'complex', { subAttributes: [attribute('lastModified', 'dateTime')] }),
  ],
);

const users: Record<string, Record<string, unknown>> = {
  alice: {
    schemas: [CORE, ENTERPRISE],
    id: 'alice',
    externalId: 'EXT-1',
    userName: 'Alice',
    displayName: 'Alice Liddell',
    nickName: null,
    title: '',
    active: true,
    loginCount: 5,
    name: { givenName: 'Alice', familyName: 'Liddell' },
    emails: [
      { type: 'work', value: 'a@x.org', primary: true },
      { type: 'home', value: 'b@y.org' },
    ],
    x509Certificates: [{ value: 'QUJD' }],
    groups: [{ value: 'g1', $ref: 'https://x/Groups/g1' }],
    meta: { lastModified: '2024-03-01T10:00:00Z' },
    [ENTERPRISE]: { employeeNumber: '701', manager: { value: 'm1' } },
  },
  bob: {
    schemas: [CORE],
    id: 'bob',
    externalId: 'ext-1',
    userName: 'bob',
    title: 'Engineer',
    active: false,
    loginCount: 12,
    name: { givenName: '', familyName: '' },
    emails: [],
    meta: { lastModified: '2023-12-31T23:59:59.999-05:00' },
  },
  carol: {
    schemas: [CORE],
    id: 'carol',
    userName: 'ＣＡＲＯＬ', // full-width: NFKC folds it to "carol"
    emails: [{ type: 'WORK', value: 'C@Z.ORG' }],
    meta: { lastModified: '2024-01-01T05:00:00Z' },
  },
};

function select(filter: Filter): string[] {
  return Object.entries(users)
    .filter(([, user]) => matchesFilter(user, filter, resolve))
    .map(([id]) => id);
}

describe('matchesFilter', () => {
  it.each<[string, string[]]>([
    // names and caseExact
    ['userName eq "alice"', ['alice']],
    ['USERNAME Eq "ALICE"', ['alice']],
    ['userName eq "carol"', ['carol']],
    [`${CORE}:userName eq "bob"`, ['bob']],
    [`${CORE.toUpperCase()}:userName eq "bob"`, ['bob']],
    ['externalId eq "EXT-1"', ['alice']],
    ['externalId eq "ext-1"', ['bob']],
    // co / sw / ew
    ['displayName co "LIDDELL"', ['alice']],
    ['userName sw "A"', ['alice']],
    ['userName ew "B"', ['bob']],
    ['externalId sw "ext"', ['bob']],
    ['groups.$ref co "/Groups/g1"', ['alice']],
    // ordering: strings lexically, numbers numerically, dateTimes as instants
    ['userName gt "b"', ['bob', 'carol']],
    ['userName lt "b"', ['alice']],
    ['loginCount gt 5', ['bob']],
    ['loginCount ge 5', ['alice', 'bob']],
    ['loginCount lt 10', ['alice']],
    ['meta.lastModified lt "2024-01-01T05:00:00Z"', ['bob']],
    ['meta.lastModified le "2024-01-01T05:00:00Z"', ['bob', 'carol']],
    ['meta.lastModified eq "2024-01-01T06:00:00.000+01:00"', ['carol']],
    // pr: present and non-empty
    ['title pr', ['bob']],
    ['nickName pr', []],
    ['emails pr', ['alice', 'carol']],
    ['name pr', ['alice']],
    ['title eq null', ['alice', 'carol']],
    ['title ne null', ['bob']],
    // multi-valued: any element
    ['emails.value eq "b@y.org"', ['alice']],
    ['emails eq "c@z.org"', ['carol']],
    ['emails.type eq "work"', ['alice', 'carol']],
    ['emails.primary eq true', ['alice']],
    ['x509Certificates.value eq "QUJD"', ['alice']],
    ['x509Certificates.value eq "qujd"', []],
    // value paths bind every condition to one element
    ['emails[type eq "work"].value eq "b@y.org"', []],
    ['emails[type eq "work" and value eq "b@y.org"]', []],
    ['emails.type eq "work" and emails.value eq "b@y.org"', ['alice']],
    ['emails[type eq "work" or value eq "b@y.org"]', ['alice', 'carol']],
    ['emails[type eq "work"].value eq "a@x.org"', ['alice']],
    ['emails[type eq "home"].value pr', ['alice']],
    ['emails[type ne "work"]', ['alice']],
    ['emails[not (primary eq true)]', ['alice', 'carol']],
    ['name[givenName sw "al"]', ['alice']],
    // not, ne and missing attributes
    ['not (active eq true)', ['bob', 'carol']],
    ['active ne true', ['bob', 'carol']],
    ['active eq false', ['bob']],
    ['not (emails.type eq "work")', ['bob']],
    ['nickName ne "x"', ['alice', 'bob', 'carol']],
    ['not (loginCount gt 100)', ['alice', 'bob', 'carol']],
    // extensions
    [`${ENTERPRISE}:employeeNumber eq "701"`, ['alice']],
    ['employeeNumber eq "701"', ['alice']],
    [`${ENTERPRISE}:manager.value eq "m1"`, ['alice']],
    ['manager eq "M1"', ['alice']],
    [`not (${ENTERPRISE}:employeeNumber pr)`, ['bob', 'carol']],
    // logic
    ['active eq true or loginCount gt 10', ['alice', 'bob']],
    ['userName sw "a" and loginCount eq 5', ['alice']],
    ['userName eq "bob" or userName eq "carol" and loginCount pr', ['bob']],
  ])('%s selects %j', (src, expected) => expect(select(parseFilter(src))).toEqual(expected));

  it.each<[string, Filter | string, string]>([
    ['gt on a boolean', 'active gt true', '"gt" cannot be used on "active"'],
    ['le on a binary', 'x509Certificates.value le "A"', '"le" cannot be used on "x509Certificates.value"'],
    ['co on a number', 'loginCount co 5', '"co" cannot be used on "loginCount"'],
    ['a string against an integer', 'loginCount eq "5"', '"loginCount" is integer; compare it with a number'],
    ['a number against a boolean', 'active eq 1', '"active" is boolean; compare it with true or false'],
    ['an unreadable dateTime', 'meta.lastModified gt "yesterday"', '"meta.lastModified" is dateTime'],
    ['ordering against null', 'userName gt null', '"gt" cannot compare "userName" with null'],
    ['a complex attribute with no value', 'name eq "x"', '"name" is complex'],
    ['brackets on a simple attribute', 'userName[value eq "x"]', '"userName" is not complex'],
    ['an unknown attribute', 'nope eq "x"', 'unknown attribute "nope"'],
    ['an unknown sub-attribute', 'emails.nope eq "x"', 'unknown attribute "emails.nope"'],
    ['an unknown attribute in brackets', 'emails[nope eq "x"]', 'unknown attribute "emails.nope"'],
    ['an unknown schema', 'urn:example:nope:userName eq "x"', 'unknown attribute "urn:example:nope:userName"'],
    ['an error behind a false left side', 'userName eq "zzz" and active gt true', '"gt" cannot be used on "active"'],
    ['nested value paths', valuePath('emails', valuePath('type', eq('value', 'x'))), 'value paths cannot nest'],
  ])('rejects %s with invalidFilter', (_name, filter, detail) => {
    const ast = typeof filter === 'string' ? parseFilter(filter) : filter;
    let caught: unknown;
    try {
      compileMatcher(ast, resolve);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScimError);
    expect(caught).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect((caught as ScimError).detail).toContain(detail);
  });
});
