import { describe, expect, it } from '@jest/globals';
import { ScimError } from '../errors.js';
import { eq } from '../filter/ast.js';
import { COMMON_ATTRIBUTES, GROUP_SCHEMA, groupSchema } from '../schemas/index.js';
import { type ResourceContext, validateResource } from '../validation/validate-resource.js';
import { type MemberChange, splitMemberOperations } from './member-operations.js';
import { parseOperations } from './patch-operation.js';

const GROUP: ResourceContext = { coreSchema: groupSchema, extensions: [], commonAttributes: COMMON_ATTRIBUTES };
const split = (...operations: unknown[]) => splitMemberOperations(parseOperations(operations), GROUP_SCHEMA);

function errorOf(run: () => unknown): { status: number; scimType?: string; detail: string } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return { status: error.status, scimType: error.scimType, detail: error.detail };
    throw error;
  }
  return undefined;
}

describe('splitMemberOperations', () => {
  it.each<[string, unknown, MemberChange[]]>([
    ['add of a list', { op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }, [{ kind: 'add', ids: ['u1', 'u2'] }]],
    ['add of one object', { op: 'Add', path: 'members', value: { value: 'u1' } }, [{ kind: 'add', ids: ['u1'] }]],
    ['add of bare ids', { op: 'add', path: 'members', value: ['u1', ' u2 '] }, [{ kind: 'add', ids: ['u1', 'u2'] }]],
    // Okta sends display with each member; it is readOnly (RFC 7643 §7), so ignored as in POST.
    ['add with display, $ref and type User', { op: 'add', path: 'members', value: [{ value: 'u1', display: 'Ada', $ref: 'https://x/Users/u1', type: 'User' }] }, [{ kind: 'add', ids: ['u1'] }]],
    ['add with sub-attribute names in any case', { op: 'add', path: `${GROUP_SCHEMA}:members`, value: [{ VALUE: 'u1', Type: 'user' }] }, [{ kind: 'add', ids: ['u1'] }]],
    ['replace of a list', { op: 'replace', path: 'members', value: [{ value: 'u1' }] }, [{ kind: 'replace', ids: ['u1'] }]],
    ['replace with an empty list', { op: 'replace', path: 'members', value: [] }, [{ kind: 'removeAll' }]],
    ['remove of a value list (Entra)', { op: 'remove', path: 'members', value: [{ value: 'u1' }] }, [{ kind: 'remove', ids: ['u1'] }]],
    ['remove of all', { op: 'remove', path: 'members' }, [{ kind: 'removeAll' }]],
    ['remove by filter', { op: 'remove', path: 'members[value eq "u1"]' }, [{ kind: 'removeWhere', filter: eq('value', 'u1') }]],
    ['path-less add of members', { op: 'add', value: { members: [{ value: 'u1' }] } }, [{ kind: 'add', ids: ['u1'] }]],
    ['path-less replace of members', { op: 'replace', value: { members: [{ value: 'u1' }] } }, [{ kind: 'replace', ids: ['u1'] }]],
  ])('takes out %s', (_label, operation, changes) => {
    expect(split(operation)).toEqual({ memberChanges: changes, documentOperations: [] });
  });

  it('leaves the other attributes of a path-less value (Okta rename with members) to applyPatch', () => {
    expect(split({ op: 'replace', value: { id: 'g1', displayName: 'Ops', members: [{ value: 'u1' }] } })).toEqual({
      memberChanges: [{ kind: 'replace', ids: ['u1'] }],
      documentOperations: [{ op: 'replace', value: { id: 'g1', displayName: 'Ops' } }],
    });
  });

  // One rule with POST and PUT (validateResource): the same status, scimType and detail.
  const unknownSub = { status: 400, scimType: 'invalidValue', detail: '"members" has no sub-attribute "primary"' };
  it('gives the error POST gives for a member with an unknown sub-attribute', () => {
    const body = { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'u2', primary: true }] };
    expect(errorOf(() => validateResource(body, GROUP))).toEqual(unknownSub);
  });

  it.each<[string, unknown]>([
    ['add', { op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2', primary: true }] }],
    ['add of one object', { op: 'add', path: 'members', value: { value: 'u2', primary: true } }],
    ['replace', { op: 'replace', path: 'members', value: [{ value: 'u2', primary: true }] }],
    ['path-less add', { op: 'add', value: { members: [{ value: 'u2', primary: true }] } }],
    ['path-less replace', { op: 'replace', value: { displayName: 'x', members: [{ value: 'u2', primary: true }] } }],
    ['remove of a value list', { op: 'remove', path: 'members', value: [{ value: 'u2', primary: true }] }],
  ])('refuses an unknown member sub-attribute in %s as POST does', (_label, operation) => {
    expect(errorOf(() => split(operation))).toEqual(unknownSub);
  });

  it.each<[string, unknown, string]>([
    ['a member value that is not a string', { op: 'add', path: 'members', value: [{ value: 7 }] }, '"members.value" is string; expected a string, got 7'],
    ['a member that is an array', { op: 'add', path: 'members', value: [[{ value: 'u1' }]] }, '"members" is complex; send an object of its sub-attributes'],
    ['a member $ref over its limit', { op: 'add', path: 'members', value: [{ value: 'u1', $ref: 'x'.repeat(2049) }] }, '"members.$ref" is longer than 2048 characters'],
    ['a nested group', { op: 'add', path: 'members', value: [{ value: 'g2', type: 'Group' }] }, 'Operations[0].members[0]: only users can be members; nested groups are not supported'],
    ['a member without a value', { op: 'add', path: 'members', value: [{ display: 'Ada' }] }, 'Operations[0].members[0] needs a "value" naming a user'],
  ])('refuses %s with 400 invalidValue', (_label, operation, detail) => {
    expect(errorOf(() => split(operation))).toEqual({ status: 400, scimType: 'invalidValue', detail });
  });

  it.each<[string, unknown, string]>([
    ['a member sub-attribute path', { op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }, 'invalidPath'],
    ['add with a filtered path', { op: 'add', path: 'members[value eq "u1"]', value: [{ value: 'u1' }] }, 'invalidPath'],
    ['a path-less remove', { op: 'remove', value: { members: [] } }, 'invalidSyntax'],
  ])('refuses %s', (_label, operation, scimType) => {
    expect(errorOf(() => split(operation))?.scimType).toBe(scimType);
  });
});
