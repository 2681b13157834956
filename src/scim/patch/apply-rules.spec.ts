import { describe, expect, it } from '@jest/globals';
import { COMMON_ATTRIBUTES, ENTERPRISE_USER_SCHEMA, enterpriseUserSchema, groupSchema, USER_SCHEMA, userSchema } from '../schemas/index.js';
import { applyPatch, type PatchContext, type ScimObject } from './apply-patch.js';
import { scimTypeOf } from '../../../test/support/scim-type-of.js';

const users: PatchContext = { coreSchema: userSchema, extensions: [enterpriseUserSchema], commonAttributes: COMMON_ATTRIBUTES };
const groups: PatchContext = { coreSchema: groupSchema, extensions: [], commonAttributes: COMMON_ATTRIBUTES };
const ENT = ENTERPRISE_USER_SCHEMA;

const user: ScimObject = {
  schemas: [USER_SCHEMA],
  id: 'u1',
  userName: 'ada',
  emails: [{ type: 'work', value: 'w@x.org' }],
  meta: { resourceType: 'User' },
};
const group: ScimObject = { id: 'g1', displayName: 'Staff', members: [{ value: 'm1', display: 'One' }] };

describe('applyPatch errors', () => {
  it.each<[string, PatchContext, ScimObject, unknown, string]>([
    ['id by path', users, user, { op: 'replace', path: 'id', value: 'x' }, 'mutability'],
    ['meta by path', users, user, { op: 'add', path: 'meta.created', value: '2024-01-01T00:00:00Z' }, 'mutability'],
    ['groups by path', users, user, { op: 'add', path: 'groups', value: [{ value: 'g' }] }, 'mutability'],
    ['manager.displayName', users, user, { op: 'add', path: `${ENT}:manager.displayName`, value: 'x' }, 'mutability'],
    ['members.display', groups, group, { op: 'replace', path: 'members[value eq "m1"].display', value: 'x' }, 'mutability'],
    ['a changed immutable member value', groups, group, { op: 'replace', path: 'members[value eq "m1"].value', value: 'm9' }, 'mutability'],
    ['an immutable member value replaced whole', groups, group, { op: 'replace', path: 'members[value eq "m1"]', value: { value: 'm9' } }, 'mutability'],
    ['a removed immutable sub-attribute', groups, group, { op: 'remove', path: 'members[value eq "m1"].value' }, 'mutability'],
    ['remove without path', users, user, { op: 'remove' }, 'noTarget'],
    ['remove with an unmatched filter', users, user, { op: 'remove', path: 'emails[type eq "home"]' }, 'noTarget'],
    ['replace of an unmatched non-eq filter', users, user, { op: 'replace', path: 'emails[type co "h"].value', value: 'x' }, 'noTarget'],
    ['replace of an unmatched filter on value', users, user, { op: 'replace', path: 'emails[value eq "n@x.org"].type', value: 'home' }, 'noTarget'],
    ['replace of an unmatched filter on type and value', users, user, { op: 'replace', path: 'emails[type eq "home" and value eq "n@x.org"].display', value: 'N' }, 'noTarget'],
    ['replace of an unmatched primary eq false', users, user, { op: 'replace', path: 'emails[primary eq false].value', value: 'n@x.org' }, 'noTarget'],
    ['replace of an unmatched filter on display', users, user, { op: 'replace', path: 'emails[display eq "Home"].value', value: 'n@x.org' }, 'noTarget'],
    ['replace of an unmatched filter on a certificate', users, user, { op: 'replace', path: 'x509Certificates[value eq "AAAA"].display', value: 'c' }, 'noTarget'],
    ['add of an unmatched filter without sub-attribute', users, user, { op: 'add', path: 'emails[type eq "home"]', value: { value: 'x' } }, 'noTarget'],
    ['a string for a boolean', users, user, { op: 'replace', path: 'active', value: 'yes' }, 'invalidValue'],
    ['a number for a string', users, user, { op: 'replace', path: 'title', value: 3 }, 'invalidValue'],
    ['an array for a single value', users, user, { op: 'replace', path: 'title', value: ['a'] }, 'invalidValue'],
    ['a string for a complex value without "value"', users, user, { op: 'replace', path: 'name', value: 'Ada' }, 'invalidValue'],
    ['an unknown sub-attribute in a value', users, user, { op: 'add', path: 'emails', value: { mail: 'x' } }, 'invalidValue'],
    ['a non-object path-less value', users, user, { op: 'add', value: 'x' }, 'invalidValue'],
    ['an unknown path-less key', users, user, { op: 'replace', value: { nope: 1 } }, 'invalidPath'],
    ['a filter in a path-less key', users, user, { op: 'replace', value: { 'emails[type eq "work"].value': 'x' } }, 'invalidPath'],
    ['a string for an extension named by path', users, user, { op: 'replace', path: ENT, value: 'Maths' }, 'invalidValue'],
    ['an unknown attribute in an extension named by path', users, user, { op: 'add', path: ENT, value: { shoeSize: 9 } }, 'invalidPath'],
    ['the core schema URN as path', users, user, { op: 'replace', path: USER_SCHEMA, value: { title: 'x' } }, 'invalidPath'],
    ['a sub-attribute of a multi-valued attribute without filter', users, user, { op: 'replace', path: 'emails.value', value: 'x' }, 'invalidPath'],
    ['__proto__ as a path', users, user, { op: 'add', path: '__proto__', value: { polluted: true } }, 'invalidPath'],
    ['__proto__ as a path-less key', users, user, JSON.parse('{"op":"add","value":{"__proto__":{"polluted":true}}}'), 'invalidPath'],
    ['constructor.prototype', users, user, { op: 'add', path: 'constructor.prototype', value: 'x' }, 'invalidPath'],
  ])('rejects %s', (_name, context, resource, operation, scimType) => {
    expect(scimTypeOf(() => applyPatch(resource, [operation], context))).toBe(scimType);
  });

  it('never writes onto a prototype', () => {
    const sneaky = JSON.parse('{"op":"add","value":{"name":{"__proto__":{"polluted":true}}}}');
    expect(scimTypeOf(() => applyPatch(user, [sneaky], users))).toBe('invalidValue');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('applies nothing when a later operation fails, and never mutates its input', () => {
    const before = structuredClone(user);
    const operations = [{ op: 'replace', path: 'userName', value: 'x' }, { op: 'remove', path: 'nope' }];
    expect(scimTypeOf(() => applyPatch(user, operations, users))).toBe('invalidPath');
    applyPatch(user, [{ op: 'add', path: 'emails', value: { value: 'n@x.org' } }, { op: 'replace', path: 'emails[type eq "work"].value', value: 'z' }], users);
    expect(user).toEqual(before);
  });

  it('allows immutable values while absent', () => {
    const bare = { id: 'g1', displayName: 'Staff', members: [{ display: 'orphan' }] };
    const result = applyPatch(bare, [{ op: 'add', path: 'members[display eq "orphan"].value', value: 'm5' }], groups);
    expect(result.members).toEqual([{ display: 'orphan', value: 'm5' }]);
  });
});

describe('applyPatch schemas (RFC 7643 §3)', () => {
  it.each<[string, readonly unknown[], unknown]>([
    ['adds the extension URN when it gains a value', [{ op: 'add', path: `${ENT}:department`, value: 'Maths' }], [USER_SCHEMA, ENT]],
    ['leaves schemas alone for core attributes', [{ op: 'replace', path: 'title', value: 'Dr' }], [USER_SCHEMA]],
    ['leaves schemas alone when a null extension value adds nothing', [{ op: 'replace', value: { department: null } }], [USER_SCHEMA]],
  ])('%s', (_name, operations, schemas) => {
    expect(applyPatch(user, operations, users).schemas).toEqual(schemas);
  });

  it('drops the URN and the empty object when the last extension value goes', () => {
    const withExtension = { ...user, schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'Maths' } };
    const result = applyPatch(withExtension, [{ op: 'remove', path: `${ENT}:department` }], users);
    expect(result).toEqual(user);
  });

  it('adds no schemas array when the resource has none', () => {
    const result = applyPatch({ userName: 'a' }, [{ op: 'add', path: 'department', value: 'x' }], users);
    expect(result).toEqual({ userName: 'a', [ENT]: { department: 'x' } });
  });
});
