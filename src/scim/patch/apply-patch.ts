/**
 * The SCIM PATCH engine, working on SCIM JSON: core attributes at the top level, extension
 * attributes under their schema URN (RFC 7643 §3.3).
 *
 * RFC sections: RFC 7644 §3.5.2 (operations and paths), §3.5.2.1 add, §3.5.2.2 remove,
 * §3.5.2.3 replace, §3.10 (URN-qualified paths), §3.4.2.2 (value filters, through filter/),
 * §3.12 (error scimTypes); RFC 7643 §2.3 (types), §2.4 (one primary), §7 (mutability).
 *
 * Client quirks accepted (DESIGN.md "Client quirks to accept"):
 * - `op` in any case (`Add`, `Replace`, `REMOVE`); booleans as strings (`"True"`, `"False"`).
 * - path-less values with dotted keys (`name.givenName`), URN-qualified keys, or an extension
 *   URN key holding an object; readOnly keys (`id`, `meta`, `schemas`) there are skipped, as
 *   Okta sends `id` in a path-less group rename.
 * - an extension's URN alone as `path`, the value holding its attributes (or none, to remove it).
 * - `emails[type eq "work"].value` with no work email creates `{type: "work", value}`.
 * - roles/entitlements as plain strings, the manager as an id string: both become `{value}`.
 * - remove of `members` with `value: [{"value": "<id>"}]` removes just those members (Entra).
 * - `value: null` on add/replace makes the target unassigned.
 */
import { ScimError } from '../errors.js';
import type { SchemaDefinition } from '../schemas/characteristics.js';
import { applyAtPath } from './apply-target.js';
import { parseOperations, type PatchOperation, type PatchVerb } from './patch-operation.js';
import { type PatchContext, parsePatchPath } from './patch-path.js';
import { deleteMember, findKey, getMember, isPresent, isRecord, type ScimObject } from './scim-json.js';

export type { PatchOperation, PatchVerb } from './patch-operation.js';
export { DEFAULT_MAX_OPERATIONS, parseOperations } from './patch-operation.js';
export type { PatchContext, PatchPath } from './patch-path.js';
export { parsePatchPath } from './patch-path.js';
export type { ScimObject } from './scim-json.js';

/** RFC 7644 §3.5.2: applies `operations` to a copy of `resource`; all of them or, on the first error, none. */
export function applyPatch(resource: ScimObject, operations: readonly unknown[], context: PatchContext): ScimObject {
  const parsed = parseOperations(operations, context.maxOperations);
  const result = structuredClone(resource);
  for (const operation of parsed) applyOperation(result, operation, context);
  syncExtensionSchemas(resource, result, context);
  return result;
}

function applyOperation(root: ScimObject, operation: PatchOperation, context: PatchContext): void {
  const { op, path, value } = operation;
  if (path !== undefined) {
    const extension = context.extensions.find((schema) => schema.id.toLowerCase() === path.trim().toLowerCase());
    if (extension !== undefined) return applyToExtension(root, op, extension, value, context);
    applyAtPath(root, op, parsePatchPath(path, context), value, { skipReadOnly: false });
    return;
  }
  // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with ... "noTarget"".
  if (op === 'remove') throw ScimError.noTarget('remove needs a "path"');
  if (!isRecord(value)) throw ScimError.invalidValue(`a path-less ${op} needs an object of attributes as its "value"`);
  for (const [key, item] of Object.entries(value)) applyValueKey(root, op, key, item, context);
}

/**
 * A path that is an extension's URN alone (RFC 7644 §3.10 qualifies attributes by it) targets
 * the extension's attributes together. Add and replace merge the value's attributes into it
 * exactly as the path-less `{"<urn>": value}` does (§3.5.2.1, §3.5.2.3); remove removes each of
 * its attributes as `path: "<urn>:<attribute>"` would (§3.5.2.2), readOnly ones excepted, so
 * the extension goes with its URN in `schemas`. The core schema's URN stays no path: a resource
 * cannot lose its core attributes, and its `members` take their own route (member-operations).
 */
function applyToExtension(root: ScimObject, op: PatchVerb, extension: SchemaDefinition, value: unknown, context: PatchContext): void {
  if (op !== 'remove') return applyValueKey(root, op, extension.id, value, context);
  const current = getMember(root, extension.id);
  if (!isRecord(current)) return;
  for (const attribute of extension.attributes) {
    if (findKey(current, attribute.name) === undefined) continue;
    const path = { text: `${extension.id}:${attribute.name}`, extension: extension.id, attribute };
    applyAtPath(root, 'remove', path, undefined, { skipReadOnly: true });
  }
}

/** One key of a path-less add/replace value (RFC 7644 §3.5.2.1): a path of its own, without filter. */
function applyValueKey(root: ScimObject, op: 'add' | 'replace', key: string, value: unknown, context: PatchContext): void {
  if (key.toLowerCase() === 'schemas') return;
  const schema = [context.coreSchema, ...context.extensions].find((s) => s.id.toLowerCase() === key.toLowerCase());
  if (schema !== undefined) {
    if (value === null && schema !== context.coreSchema) return deleteMember(root, schema.id);
    if (!isRecord(value)) throw ScimError.invalidValue(`"${key}" must hold an object of ${schema.name} attributes`);
    for (const [name, item] of Object.entries(value)) applyValueKey(root, op, `${schema.id}:${name}`, item, context);
    return;
  }
  const path = parsePatchPath(key, context);
  if (path.filter !== undefined) throw ScimError.invalidPath(`"${key}": value filters belong in "path", not in value keys`);
  applyAtPath(root, op, path, value, { skipReadOnly: true });
}

/**
 * RFC 7643 §3: `schemas` lists the extensions a resource uses. An extension that gains a value
 * is added; one whose values are all gone is dropped along with its empty object.
 */
function syncExtensionSchemas(before: ScimObject, after: ScimObject, context: PatchContext): void {
  const schemas = getMember(after, 'schemas');
  for (const { id } of context.extensions) {
    const key = findKey(after, id);
    const hasValues = key !== undefined && isPresent(after[key]);
    if (key !== undefined && !hasValues) deleteMember(after, id);
    if (!Array.isArray(schemas)) continue;
    const listed = schemas.findIndex((s) => typeof s === 'string' && s.toLowerCase() === id.toLowerCase());
    if (hasValues && listed < 0) schemas.push(id);
    if (!hasValues && listed >= 0 && isPresent(getMember(before, id))) schemas.splice(listed, 1);
  }
}
