import { describe, expect, it } from '@jest/globals';
import { and, eq, pr } from '../filter/ast.js';
import { COMMON_ATTRIBUTES, ENTERPRISE_USER_SCHEMA, enterpriseUserSchema, groupSchema, userSchema } from '../schemas/index.js';
import { type PatchContext, type PatchPath, parsePatchPath } from './patch-path.js';
import { scimTypeOf } from '../../../test/support/scim-type-of.js';

const users: PatchContext = { coreSchema: userSchema, extensions: [enterpriseUserSchema], commonAttributes: COMMON_ATTRIBUTES };
const groups: PatchContext = { coreSchema: groupSchema, extensions: [], commonAttributes: COMMON_ATTRIBUTES };

const summary = (p: PatchPath) => ({
  extension: p.extension,
  attribute: p.attribute.name,
  sub: p.subAttribute?.name,
  filter: p.filter,
});

describe('parsePatchPath', () => {
  it.each([
    ['userName', { attribute: 'userName' }],
    ['USERNAME', { attribute: 'userName' }],
    ['name.givenName', { attribute: 'name', sub: 'givenName' }],
    ['Name.GIVENNAME', { attribute: 'name', sub: 'givenName' }],
    ['externalId', { attribute: 'externalId' }],
    ['department', { extension: ENTERPRISE_USER_SCHEMA, attribute: 'department' }],
    [`${ENTERPRISE_USER_SCHEMA}:department`, { extension: ENTERPRISE_USER_SCHEMA, attribute: 'department' }],
    [`${ENTERPRISE_USER_SCHEMA.toUpperCase()}:Manager.Value`, { extension: ENTERPRISE_USER_SCHEMA, attribute: 'manager', sub: 'value' }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName', { attribute: 'name', sub: 'givenName' }],
    ['emails[type eq "work"]', { attribute: 'emails', filter: eq('type', 'work') }],
    ['emails[type eq "work"].value', { attribute: 'emails', sub: 'value', filter: eq('type', 'work') }],
    ['emails[type eq "a]b" and primary eq true].value', { attribute: 'emails', sub: 'value', filter: and(eq('type', 'a]b'), eq('primary', true)) }],
    ['addresses[type eq "work"].streetAddress', { attribute: 'addresses', sub: 'streetAddress', filter: eq('type', 'work') }],
    ['phoneNumbers[value pr]', { attribute: 'phoneNumbers', filter: pr('value') }],
  ])('resolves %s on User', (text, expected) => {
    expect(summary(parsePatchPath(text, users))).toEqual({ extension: undefined, sub: undefined, filter: undefined, ...expected });
  });

  it('resolves members[value eq "id"] on Group', () => {
    expect(summary(parsePatchPath('members[value eq "id"]', groups))).toEqual({
      extension: undefined,
      attribute: 'members',
      sub: undefined,
      filter: eq('value', 'id'),
    });
  });

  it('matches elements with the filter evaluator', () => {
    const { matches } = parsePatchPath('emails[type eq "WORK"]', users);
    expect([{ type: 'work' }, { type: 'home' }, 'work'].map((e) => matches?.(e))).toEqual([true, false, false]);
  });

  it.each([
    [''],
    ['   '],
    ['nickname.first'],
    ['foo'],
    ['__proto__'],
    ['constructor'],
    ['prototype'],
    ['name.__proto__'],
    ['emails[type eq "work"'],
    ['emails[type eq "work"]value'],
    ['emails[type eq "work"][value pr]'],
    ['emails[type eq]'],
    ['emails[foo eq "x"]'],
    ['emails[type eq "work"].nope'],
    ['name[givenName eq "x"]'],
    ['name.givenName[type eq "x"]'],
    ['userName[value eq "x"]'],
    ['emails[addresses[type eq "x"]]'],
    ['urn:ietf:params:scim:schemas:extension:other:2.0:User:department'],
    ['urn:ietf:params:scim:schemas:core:2.0:User:department'],
    ['x'.repeat(2000)],
  ])('rejects %j with invalidPath', (text) => {
    expect(scimTypeOf(() => parsePatchPath(text, users))).toBe('invalidPath');
  });

  it('rejects User attributes on a Group', () => {
    expect(scimTypeOf(() => parsePatchPath('userName', groups))).toBe('invalidPath');
  });
});
