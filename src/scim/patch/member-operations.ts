import { ScimError } from '../errors.js';
import type { Filter } from '../filter/ast.js';
import { parseFilter } from '../filter/parser.js';
import type { AttributeDefinition } from '../schemas/characteristics.js';
import { findSchema } from '../schemas/index.js';
import { canonicalSingleValue } from '../validation/value-checks.js';
import type { PatchOperation } from './patch-operation.js';
import { getMember, isRecord, type ScimObject } from './scim-json.js';

/** One change to a group's member set, applied in SQL in request order. */
export type MemberChange =
  | { readonly kind: 'add'; readonly ids: readonly string[] }
  | { readonly kind: 'remove'; readonly ids: readonly string[] }
  | { readonly kind: 'removeWhere'; readonly filter: Filter }
  | { readonly kind: 'removeAll' }
  | { readonly kind: 'replace'; readonly ids: readonly string[] };

export interface SplitPatch {
  readonly memberChanges: readonly MemberChange[];
  /** What is left for applyPatch on the group's own attributes. */
  readonly documentOperations: readonly PatchOperation[];
}

/**
 * Takes every operation on `members` out of a Group PATCH (RFC 7644 §3.5.2), so membership
 * changes run as set operations in SQL and no code path loads the member list to edit it.
 * Accepts the forms clients send: add a list; remove `members[value eq "id"]` (any filter on
 * `value`); remove with `path: "members"` and a value list (Entra: removes only those); remove
 * all (`path: "members"`, no value); replace all; path-less add/replace whose value holds
 * `members` beside other attributes (Okta). Every member sent is checked against the schema as
 * POST and PUT check it, so an unknown sub-attribute is the same 400 invalidValue everywhere.
 */
export function splitMemberOperations(operations: readonly PatchOperation[], coreSchema: string): SplitPatch {
  const schemaMembers = membersAttributeOf(coreSchema);
  const idsOf = (value: unknown, where: string): string[] => patchMemberIds(value, where, schemaMembers);
  const memberChanges: MemberChange[] = [];
  const documentOperations: PatchOperation[] = [];
  operations.forEach((operation, index) => {
    const where = `Operations[${index}]`;
    if (operation.path === undefined) {
      if (!isRecord(operation.value)) {
        documentOperations.push(operation);
        return;
      }
      const { members, rest } = takeMembers(operation.value, coreSchema);
      if (members !== undefined) {
        if (operation.op === 'remove') throw ScimError.invalidSyntax(`${where}: remove needs a path`);
        memberChanges.push(operation.op === 'add' ? { kind: 'add', ids: idsOf(members, where) } : replacement(idsOf(members, where)));
      }
      if (members === undefined || Object.keys(rest).length > 0) documentOperations.push({ ...operation, value: rest });
      return;
    }
    const target = memberPath(operation.path, coreSchema);
    if (target === undefined) {
      documentOperations.push(operation);
      return;
    }
    if (target.kind === 'sub') {
      throw ScimError.invalidPath(`${where}: "${operation.path}" — members are added, removed or replaced whole; their sub-attributes cannot be changed`);
    }
    if (target.kind === 'filtered') {
      if (operation.op !== 'remove') throw ScimError.invalidPath(`${where}: "${operation.path}" can only be removed; add or replace members by value`);
      memberChanges.push({ kind: 'removeWhere', filter: target.filter });
      return;
    }
    switch (operation.op) {
      case 'add':
        memberChanges.push({ kind: 'add', ids: idsOf(operation.value, where) });
        return;
      case 'replace':
        memberChanges.push(replacement(idsOf(operation.value, where)));
        return;
      case 'remove':
        memberChanges.push(
          operation.value === undefined || operation.value === null ? { kind: 'removeAll' } : { kind: 'remove', ids: idsOf(operation.value, where) },
        );
    }
  });
  return { memberChanges, documentOperations };
}

/** The member ids a POST or PUT body's `members` names (already validated against the schema). */
export function memberIds(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const ids = list.map((member, index) => memberId(member, `${where}.members[${index}]`));
  return [...new Set(ids)];
}

function memberId(member: unknown, where: string): string {
  // A bare id string is what some scripts send; it means the same as {"value": id}.
  const value = isRecord(member) ? getMember(member, 'value') : member;
  if (typeof value !== 'string' || value.trim() === '') throw ScimError.invalidValue(`${where} needs a "value" naming a user`);
  const type = isRecord(member) ? getMember(member, 'type') : undefined;
  if (type !== undefined && type !== null && (typeof type !== 'string' || type.toLowerCase() !== 'user')) {
    throw ScimError.invalidValue(`${where}: only users can be members; nested groups are not supported`);
  }
  return value.trim();
}

/**
 * The member ids a PATCH value names, each element first put through the check POST and PUT
 * apply to `members` (RFC 7643 §2.3.8: unknown sub-attributes, types, limits), under the same
 * label, so the error is the one POST gives for that element.
 */
function patchMemberIds(value: unknown, where: string, members: AttributeDefinition): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return memberIds(list.map((member) => canonicalSingleValue(members, member, members.name)), where);
}

function membersAttributeOf(coreSchema: string): AttributeDefinition {
  const members = findSchema(coreSchema)?.attributes.find((attribute) => attribute.name === 'members');
  if (members === undefined) throw new Error(`${coreSchema} is not a schema with members`);
  return members;
}

function replacement(ids: readonly string[]): MemberChange {
  return ids.length === 0 ? { kind: 'removeAll' } : { kind: 'replace', ids };
}

type MemberPath = { readonly kind: 'whole' } | { readonly kind: 'filtered'; readonly filter: Filter } | { readonly kind: 'sub' };

/** Whether a PATCH path addresses `members` (with or without the core URN), and how. */
function memberPath(path: string, coreSchema: string): MemberPath | undefined {
  const prefix = `${coreSchema}:`.toLowerCase();
  const text = path.trim().toLowerCase().startsWith(prefix) ? path.trim().slice(prefix.length) : path.trim();
  const match = /^members(?:\[(.*)\])?(\..+)?$/is.exec(text);
  if (match === null) return undefined;
  const [, filter, sub] = match;
  if (sub !== undefined) return { kind: 'sub' };
  if (filter === undefined) return { kind: 'whole' };
  return { kind: 'filtered', filter: parseFilter(filter) };
}

function takeMembers(value: ScimObject, coreSchema: string): { members: unknown; rest: ScimObject } {
  const rest: ScimObject = {};
  let members: unknown;
  for (const [key, member] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (lower === 'members' || lower === `${coreSchema}:members`.toLowerCase()) members = member;
    else Object.defineProperty(rest, key, { value: member, writable: true, enumerable: true, configurable: true });
  }
  return { members, rest };
}
