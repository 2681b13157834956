import { describe, expect, it } from '@jest/globals';
import { type AttributeRef, parseAttributeList, type Projection, projectResource, requestedTopLevelAttributes } from './projection.js';
import {
  ACCESS_USER_SCHEMA,
  accessUserSchema,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  enterpriseUserSchema,
  GROUP_SCHEMA,
  groupSchema,
  USER_SCHEMA,
  userSchema,
} from './schemas/index.js';
import type { ResourceContext } from './validation/resource-context.js';

const users: ResourceContext = {
  coreSchema: userSchema,
  extensions: [
    { schema: enterpriseUserSchema, required: false },
    { schema: accessUserSchema, required: false },
  ],
  commonAttributes: COMMON_ATTRIBUTES,
};
const groups: ResourceContext = { coreSchema: groupSchema, extensions: [], commonAttributes: COMMON_ATTRIBUTES };
const ENT = ENTERPRISE_USER_SCHEMA;
const meta = { resourceType: 'User', version: 'W/"1"' };

const user = {
  schemas: [USER_SCHEMA, ENT],
  id: 'u1',
  userName: 'ada',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada L',
  password: 'secret',
  emails: [
    { value: 'a@x.org', type: 'work', primary: true },
    { value: 'b@x.org', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Staff' }],
  [ENT]: { department: 'R&D', manager: { value: 'm1', displayName: 'Boss' } },
  meta,
};

const project = (projection: Projection): Record<string, unknown> => projectResource(user, projection, users);
const refs = (param: string): AttributeRef[] | undefined => parseAttributeList(param, users);

describe('parseAttributeList', () => {
  it.each<[string | undefined, AttributeRef[] | undefined]>([
    [undefined, undefined],
    ['  ', undefined],
    ['userName', [{ attribute: 'userName' }]],
    ['USERNAME, name.GIVENNAME', [{ attribute: 'userName' }, { attribute: 'name', subAttribute: 'givenName' }]],
    [`${USER_SCHEMA}:name.familyName`, [{ attribute: 'name', subAttribute: 'familyName' }]],
    [`${ENT.toLowerCase()}:manager.value`, [{ extension: ENT, attribute: 'manager', subAttribute: 'value' }]],
    ['department', [{ extension: ENT, attribute: 'department' }]],
    ['meta.lastModified,schemas,,id', [{ attribute: 'meta', subAttribute: 'lastModified' }, { attribute: 'schemas' }, { attribute: 'id' }]],
  ])('parses %p', (param, expected) => expect(parseAttributeList(param, users)).toEqual(expected));

  it.each(['nickname2', 'name.nick', `${ENT}:userName`, 'urn:example:x:foo', '__proto__'])('rejects unknown %s with invalidValue', (param) => {
    expect(() => refs(param)).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });
});

describe('projectResource', () => {
  const { password: _password, ...withoutPassword } = user;

  it.each<[string, Projection, Record<string, unknown>]>([
    ['returns the default set, never the password, without a projection', {}, withoutPassword],
    [
      'returns only the named attributes plus id, schemas and meta',
      { attributes: refs('userName,emails') },
      { schemas: user.schemas, id: 'u1', userName: 'ada', emails: user.emails, meta },
    ],
    [
      'returns the parent with just the named sub-attribute',
      { attributes: refs('name.givenName,emails.value') },
      { schemas: user.schemas, id: 'u1', name: { givenName: 'Ada' }, emails: [{ value: 'a@x.org' }, { value: 'b@x.org' }], meta },
    ],
    [
      'returns a named extension attribute inside its URN object',
      { attributes: refs('manager.value') },
      { schemas: user.schemas, id: 'u1', [ENT]: { manager: { value: 'm1' } }, meta },
    ],
    ['never returns the password, even when asked', { attributes: refs('password') }, { schemas: user.schemas, id: 'u1', meta }],
    [
      'removes excluded attributes and sub-attributes',
      { excludedAttributes: refs('groups,emails,name.familyName,displayName') },
      { schemas: user.schemas, id: 'u1', userName: 'ada', name: { givenName: 'Ada' }, [ENT]: user[ENT], meta },
    ],
    ['never excludes id, schemas or meta', { excludedAttributes: refs('id,schemas,meta') }, withoutPassword],
    [
      'drops an extension left empty but keeps its URN in schemas',
      { excludedAttributes: refs('department,manager') },
      { ...withoutPassword, [ENT]: undefined },
    ],
  ])('%s', (_name, projection, expected) => expect(project(projection)).toEqual(expected));

  it('drops a returned: request attribute unless it is named', () => {
    const context: ResourceContext = {
      ...groups,
      coreSchema: { ...groupSchema, attributes: groupSchema.attributes.map((a) => (a.name === 'members' ? { ...a, returned: 'request' as const } : a)) },
    };
    const group = { schemas: [GROUP_SCHEMA], id: 'g1', displayName: 'Staff', members: [{ value: 'u1' }] };
    expect(projectResource(group, {}, context)).toEqual({ schemas: [GROUP_SCHEMA], id: 'g1', displayName: 'Staff' });
    expect(projectResource(group, { attributes: parseAttributeList('members', context) }, context)).toEqual({ schemas: [GROUP_SCHEMA], id: 'g1', members: [{ value: 'u1' }] });
  });

  it('does not change the resource it was given', () => {
    const copy = structuredClone(user);
    project({ attributes: refs('name.givenName') });
    expect(user).toEqual(copy);
  });

  it('keeps the last spelling of a name given twice (RFC 7643 §2.1), at the top, in an extension and in a complex value', () => {
    const twice = {
      schemas: user.schemas,
      id: 'u1',
      displayName: 'first',
      DisplayName: 'second',
      name: { givenName: 'Ada', GIVENNAME: 'Augusta', familyName: 'Lovelace' },
      [ENT]: { department: 'R&D', Department: 'Maths' },
      meta,
    };
    const projected = projectResource(twice, {}, users);
    expect(JSON.stringify(projected)).toBe(
      JSON.stringify({ schemas: user.schemas, id: 'u1', DisplayName: 'second', name: { GIVENNAME: 'Augusta', familyName: 'Lovelace' }, [ENT]: { Department: 'Maths' }, meta }),
    );
    const excluded = projectResource(twice, { excludedAttributes: refs('name.familyName,displayName') }, users);
    expect(excluded).toEqual({ schemas: user.schemas, id: 'u1', name: { GIVENNAME: 'Augusta' }, [ENT]: { Department: 'Maths' }, meta });
  });

  it('keeps the last spelling in a complex value with many keys too', () => {
    const many: Record<string, unknown> = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x${i}`, i]));
    const name = { givenName: 'Ada', ...many, GIVENNAME: 'Augusta' };
    const projected = projectResource({ schemas: user.schemas, id: 'u1', name, meta }, {}, users);
    expect(JSON.stringify(projected.name)).toBe(JSON.stringify({ ...many, GIVENNAME: 'Augusta' }));
  });

  it('answers a complex value that loses nothing with its own members, in their order', () => {
    const projected = projectResource(user, {}, users);
    expect(JSON.stringify(projected.emails)).toBe(JSON.stringify(user.emails));
    expect(JSON.stringify(projected[ENT])).toBe(JSON.stringify(user[ENT]));
  });
});

describe('projectResource under the default projection', () => {
  const { password: _password, ...clean } = user;
  const cleanWithMeta = { ...clean, meta };

  it('answers a resource it keeps whole with that resource itself', () => {
    expect(projectResource(cleanWithMeta, {}, users)).toBe(cleanWithMeta);
  });

  // Each resource differs from the clean one by one member the default projection changes: the
  // answer is a new object without that change, never the resource given.
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a returned: never attribute (password)', { ...cleanWithMeta, password: 'secret' }, cleanWithMeta],
    ['an empty string', { ...cleanWithMeta, nickName: '' }, cleanWithMeta],
    ['a null value', { ...cleanWithMeta, title: null }, cleanWithMeta],
    ['an empty multi-valued attribute', { ...cleanWithMeta, phoneNumbers: [] }, cleanWithMeta],
    ['an unassigned element among assigned ones', { ...cleanWithMeta, emails: [...user.emails, null] }, cleanWithMeta],
    ['an element with nothing assigned', { ...cleanWithMeta, emails: [...user.emails, { value: '' }] }, cleanWithMeta],
    ['an empty extension', { ...cleanWithMeta, [ACCESS_USER_SCHEMA]: {} }, cleanWithMeta],
    ['an extension with only unassigned members', { ...cleanWithMeta, [ENT]: { department: '' } }, { ...clean, [ENT]: undefined, meta }],
    ['a returned: request attribute of an extension', { ...cleanWithMeta, [ACCESS_USER_SCHEMA]: { effectiveRoles: ['admin'] } }, cleanWithMeta],
    ['a name spelled twice', { ...cleanWithMeta, DisplayName: 'again' }, { ...clean, displayName: undefined, DisplayName: 'again', meta }],
    ['a sub-attribute spelled twice', { ...cleanWithMeta, name: { givenName: 'Ada', GivenName: 'Augusta' } }, { ...cleanWithMeta, name: { GivenName: 'Augusta' } }],
  ])('answers a new resource for %s', (_change, resource, expected) => {
    const projected = projectResource(resource, {}, users);
    expect(projected).not.toBe(resource);
    expect(JSON.stringify(projected)).toBe(JSON.stringify(expected));
  });
});

describe('requestedTopLevelAttributes', () => {
  const requested = (projection: Projection, context = groups): string[] => [...requestedTopLevelAttributes(projection, context)].sort();

  it.each<[string, Projection, string[]]>([
    ['everything but never attributes by default', {}, ['displayName', 'externalId', 'id', 'members', 'meta', 'schemas']],
    ['no members when they are excluded', { excludedAttributes: parseAttributeList('members', groups) }, ['displayName', 'externalId', 'id', 'meta', 'schemas']],
    ['no members when only displayName is asked for', { attributes: parseAttributeList('displayName', groups) }, ['displayName', 'id', 'meta', 'schemas']],
    ['members when one of their sub-attributes is asked for', { attributes: parseAttributeList('members.value', groups) }, ['id', 'members', 'meta', 'schemas']],
  ])('lists %s', (_name, projection, expected) => expect(requested(projection)).toEqual(expected));

  it('names extension attributes by URN and leaves out groups and password when not asked for', () => {
    const names = requestedTopLevelAttributes({ attributes: parseAttributeList('userName,effectiveRoles', users) }, users);
    expect([...names].sort()).toEqual(['id', 'meta', 'schemas', `${ACCESS_USER_SCHEMA}:effectiveRoles`, 'userName'].sort());
  });
});
