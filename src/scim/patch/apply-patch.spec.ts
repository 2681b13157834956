import { describe, expect, it } from '@jest/globals';
import { COMMON_ATTRIBUTES, ENTERPRISE_USER_SCHEMA, enterpriseUserSchema, groupSchema, USER_SCHEMA, userSchema } from '../schemas/index.js';
import { applyPatch, type PatchContext, type ScimObject } from './apply-patch.js';

const users: PatchContext = { coreSchema: userSchema, extensions: [enterpriseUserSchema], commonAttributes: COMMON_ATTRIBUTES };
const groups: PatchContext = { coreSchema: groupSchema, extensions: [], commonAttributes: COMMON_ATTRIBUTES };
const ENT = ENTERPRISE_USER_SCHEMA;

const work = { type: 'work', value: 'w@x.org', primary: true };
const home = { type: 'home', value: 'h@x.org' };
const user: ScimObject = {
  id: 'u1',
  userName: 'ada',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [work, home],
  active: true,
};
const group: ScimObject = {
  id: 'g1',
  displayName: 'Staff',
  members: [
    { value: 'm1', display: 'One' },
    { value: 'm2', display: 'Two' },
  ],
};

type Row = [string, readonly unknown[], ScimObject];

describe('applyPatch add (RFC 7644 §3.5.2.1)', () => {
  it.each<Row>([
    ['sets a simple attribute', [{ op: 'add', path: 'title', value: 'Countess' }], { ...user, title: 'Countess' }],
    ['merges a complex attribute', [{ op: 'add', path: 'name', value: { middleName: 'King' } }], { ...user, name: { ...user.name as object, middleName: 'King' } }],
    ['sets a sub-attribute', [{ op: 'add', path: 'NAME.givenname', value: 'Augusta' }], { ...user, name: { givenName: 'Augusta', familyName: 'Lovelace' } }],
    ['appends to a multi-valued attribute', [{ op: 'add', path: 'emails', value: [{ type: 'other', value: 'o@x.org' }] }], { ...user, emails: [work, home, { type: 'other', value: 'o@x.org' }] }],
    ['appends a single value', [{ op: 'add', path: 'emails', value: { type: 'other', value: 'o@x.org' } }], { ...user, emails: [work, home, { type: 'other', value: 'o@x.org' }] }],
    ['skips exact duplicates', [{ op: 'add', path: 'emails', value: [home, { value: 'w@x.org' }] }], user],
    ['creates the element a filter describes', [{ op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555' }], { ...user, phoneNumbers: [{ type: 'work', value: '+1 555' }] }],
    ['creates the element any eq filter describes', [{ op: 'add', path: 'emails[value eq "n@x.org"].type', value: 'other' }], { ...user, emails: [work, home, { value: 'n@x.org', type: 'other' }] }],
    ['sets a sub-attribute of matching elements', [{ op: 'add', path: 'emails[type eq "home"].display', value: 'Home' }], { ...user, emails: [work, { ...home, display: 'Home' }] }],
    ['merges a path-less object', [{ op: 'add', value: { title: 'Countess', emails: [{ value: 'o@x.org' }] } }], { ...user, title: 'Countess', emails: [work, home, { value: 'o@x.org' }] }],
    ['accepts dotted path-less keys', [{ op: 'add', value: { 'name.middleName': 'King' } }], { ...user, name: { givenName: 'Ada', familyName: 'Lovelace', middleName: 'King' } }],
    ['accepts URN-qualified path-less keys', [{ op: 'add', value: { [`${ENT}:manager`]: 'boss' } }], { ...user, [ENT]: { manager: { value: 'boss' } } }],
    ['accepts an extension URN key', [{ op: 'Add', value: { [ENT]: { department: 'Maths', 'manager.value': 'b' } } }], { ...user, [ENT]: { department: 'Maths', manager: { value: 'b' } } }],
    ['turns role strings into values', [{ op: 'add', path: 'roles', value: ['reader', 'writer'] }], { ...user, roles: [{ value: 'reader' }, { value: 'writer' }] }],
    ['keeps one primary, the new one', [{ op: 'add', path: 'emails', value: { value: 'n@x.org', primary: 'True' } }], { ...user, emails: [{ type: 'work', value: 'w@x.org' }, home, { value: 'n@x.org', primary: true }] }],
  ])('%s', (_name, operations, expected) => {
    expect(applyPatch(user, operations, users)).toEqual(expected);
  });

  it('adds members, dropping the readOnly display Okta sends', () => {
    const operations = [{ op: 'add', path: 'members', value: [{ value: 'm3', display: 'Three' }, { value: 'm1' }] }];
    expect(applyPatch(group, operations, groups).members).toEqual([...(group.members as unknown[]), { value: 'm3' }]);
  });
});

describe('applyPatch replace (RFC 7644 §3.5.2.3)', () => {
  it.each<Row>([
    ['sets a simple attribute', [{ op: 'replace', path: 'userName', value: 'ada2' }], { ...user, userName: 'ada2' }],
    ['replaces a multi-valued attribute whole', [{ op: 'replace', path: 'emails', value: [home] }], { ...user, emails: [home] }],
    ['merges sub-attributes of a complex attribute', [{ op: 'replace', path: 'name', value: { givenName: 'Augusta' } }], { ...user, name: { givenName: 'Augusta', familyName: 'Lovelace' } }],
    ['replaces a matching sub-attribute', [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x.org' }], { ...user, emails: [{ ...work, value: 'new@x.org' }, home] }],
    ['replaces matching elements whole', [{ op: 'replace', path: 'emails[type eq "home"]', value: { type: 'home', value: 'h2@x.org' } }], { ...user, emails: [work, { type: 'home', value: 'h2@x.org' }] }],
    ['creates an absent filtered element', [{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' }], { ...user, addresses: [{ type: 'work', streetAddress: '1 Main St' }] }],
    ['creates the absent primary element', [{ op: 'replace', path: 'phoneNumbers[primary eq true].value', value: '+1 555' }], { ...user, phoneNumbers: [{ primary: true, value: '+1 555' }] }],
    ['creates the element type and primary describe', [{ op: 'replace', path: 'phoneNumbers[type eq "work" and primary eq true].value', value: '+1 555' }], { ...user, phoneNumbers: [{ type: 'work', primary: true, value: '+1 555' }] }],
    ['reads booleans sent as strings', [{ op: 'Replace', path: 'active', value: 'False' }], { ...user, active: false }],
    ['reads path-less booleans sent as strings', [{ op: 'replace', value: { active: 'TRUE', title: 'Dr' } }], { ...user, title: 'Dr' }],
    ['treats null as unassigned', [{ op: 'replace', path: 'name.familyName', value: null }], { ...user, name: { givenName: 'Ada' } }],
    ['sets the manager by id', [{ op: 'replace', path: `${ENT}:manager`, value: '123' }], { ...user, [ENT]: { manager: { value: '123' } } }],
    ['applies operations in order', [{ op: 'replace', path: 'title', value: 'a' }, { op: 'replace', path: 'title', value: 'b' }], { ...user, title: 'b' }],
  ])('%s', (_name, operations, expected) => {
    expect(applyPatch(user, operations, users)).toEqual(expected);
  });

  it('skips readOnly keys in a path-less group rename (Okta)', () => {
    const result = applyPatch(group, [{ op: 'replace', value: { id: 'g1', displayName: 'Staff 2', meta: {}, schemas: [] } }], groups);
    expect(result).toEqual({ ...group, displayName: 'Staff 2' });
  });

  it('replaces all members, and clears them with []', () => {
    expect(applyPatch(group, [{ op: 'replace', path: 'members', value: [{ value: 'm9' }] }], groups).members).toEqual([{ value: 'm9' }]);
    expect(applyPatch(group, [{ op: 'replace', path: 'members', value: [] }], groups)).toEqual({ id: 'g1', displayName: 'Staff' });
  });
});

describe('applyPatch remove (RFC 7644 §3.5.2.2)', () => {
  it.each<Row>([
    ['removes an attribute', [{ op: 'remove', path: 'active' }], { ...user, active: undefined }],
    ['removes a sub-attribute', [{ op: 'remove', path: 'name.givenName' }], { ...user, name: { familyName: 'Lovelace' } }],
    ['removes the complex attribute it empties', [{ op: 'remove', path: 'name.givenName' }, { op: 'REMOVE', path: 'name.familyName' }], { ...user, name: undefined }],
    ['removes matching elements', [{ op: 'remove', path: 'emails[type eq "work"]' }], { ...user, emails: [home] }],
    ['removes a sub-attribute of matching elements', [{ op: 'remove', path: 'emails[type eq "work"].primary' }], { ...user, emails: [{ type: 'work', value: 'w@x.org' }, home] }],
    ['removes an absent attribute quietly', [{ op: 'remove', path: 'title' }], user],
  ])('%s', (_name, operations, expected) => {
    expect(applyPatch(user, operations, users)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it.each<[string, unknown, unknown[] | undefined]>([
    ['one member by filter', { op: 'remove', path: 'members[value eq "m1"]' }, [{ value: 'm2', display: 'Two' }]],
    ['listed members (Entra)', { op: 'Remove', path: 'members', value: [{ value: 'm2' }, { value: 'absent' }] }, [{ value: 'm1', display: 'One' }]],
    ['all members', { op: 'remove', path: 'members' }, undefined],
  ])('removes %s from a group', (_name, operation, members) => {
    expect(applyPatch(group, [operation], groups).members).toEqual(members);
  });
});

describe('applyPatch with an extension URN as path (RFC 7644 §3.10)', () => {
  const employee: ScimObject = { ...user, schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'Maths', costCenter: '7' } };
  it.each<Row>([
    ['replace merges the value into the extension', [{ op: 'replace', path: ENT, value: { department: 'X' } }], { ...employee, [ENT]: { department: 'X', costCenter: '7' } }],
    ['add merges the value into the extension', [{ op: 'Add', path: ENT, value: { division: 'North', 'manager.value': 'b' } }], { ...employee, [ENT]: { department: 'Maths', costCenter: '7', division: 'North', manager: { value: 'b' } } }],
    ['the URN is read in any case', [{ op: 'replace', path: ` ${ENT.toUpperCase()} `, value: { DEPARTMENT: 'Y' } }], { ...employee, [ENT]: { department: 'Y', costCenter: '7' } }],
    ['remove takes the extension and its URN out', [{ op: 'remove', path: ENT }], { ...user, schemas: [USER_SCHEMA] }],
    ['replace with null takes the extension out', [{ op: 'replace', path: ENT, value: null }], { ...user, schemas: [USER_SCHEMA] }],
  ])('%s', (_name, operations, expected) => {
    expect(applyPatch(employee, operations, users)).toEqual(expected);
  });

  it('adds an extension the user did not have, with its URN', () => {
    const result = applyPatch({ ...user, schemas: [USER_SCHEMA] }, [{ op: 'replace', path: ENT, value: { department: 'X' } }], users);
    expect(result).toEqual({ ...user, schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'X' } });
  });

  it('removes an absent extension quietly', () => {
    expect(applyPatch(user, [{ op: 'remove', path: ENT }], users)).toEqual(user);
  });
});
