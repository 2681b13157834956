import { ScimError } from '../errors.js';
import type { Filter } from '../filter/ast.js';
import type { AttributeDefinition } from '../schemas/characteristics.js';
import type { PatchVerb } from './patch-operation.js';
import { findSubAttribute, type PatchPath } from './patch-path.js';
import { normalizeComplex, normalizeValue } from './patch-values.js';
import { asList, contains, deepEqual, deleteMember, getMember, isPresent, isRecord, type ScimObject, setMember } from './scim-json.js';

/** How one operation treats its target. */
export interface TargetOptions {
  /** Path-less add/replace: keys naming readOnly attributes are skipped, not refused (Okta sends `id`). */
  readonly skipReadOnly: boolean;
}

/**
 * RFC 7644 §3.5.2.1–§3.5.2.3: applies one operation at `path`, in place. `root` must be the
 * caller's private copy of the resource; atomicity comes from discarding it on error.
 */
export function applyAtPath(root: ScimObject, verb: PatchVerb, path: PatchPath, value: unknown, options: TargetOptions): void {
  const { attribute, subAttribute } = path;
  if (attribute.mutability === 'readOnly' || subAttribute?.mutability === 'readOnly') {
    if (options.skipReadOnly) return;
    throw ScimError.mutability(`"${path.text}" is readOnly`);
  }
  // RFC 7644 §3.5.2.3: a null value makes the target unassigned, so it acts as remove.
  const unassign = value === null && verb !== 'remove';
  const effective: PatchVerb = unassign ? 'remove' : verb;
  const given = value === null ? undefined : value;

  const container = containerOf(root, path.extension, effective !== 'remove');
  if (container === undefined) return;
  if (path.matches !== undefined) applyFiltered(container, effective, path, path.matches, given, unassign);
  else if (subAttribute !== undefined) applySub(container, effective, path, subAttribute, given);
  else applyWhole(container, effective, path, given);
}

function containerOf(root: ScimObject, extension: string | undefined, create: boolean): ScimObject | undefined {
  if (extension === undefined) return root;
  const existing = getMember(root, extension);
  if (isRecord(existing)) return existing;
  if (!create) return undefined;
  const created: ScimObject = {};
  setMember(root, extension, created);
  return created;
}

/** RFC 7643 §7 immutable: may be set when unassigned, never changed or removed afterwards. */
function checkImmutable(attribute: AttributeDefinition, current: unknown, next: unknown, label: string): void {
  if (attribute.mutability === 'immutable' && isPresent(current) && !deepEqual(current, next)) {
    throw ScimError.mutability(`"${label}" is immutable and already has a value`);
  }
}

function writeOrDelete(container: ScimObject, name: string, value: unknown): void {
  if (isPresent(value)) setMember(container, name, value);
  else deleteMember(container, name);
}

function applyWhole(container: ScimObject, verb: PatchVerb, path: PatchPath, value: unknown): void {
  const { attribute, text } = path;
  const current = getMember(container, attribute.name);
  if (verb === 'remove') {
    if (value !== undefined && attribute.multiValued) return removeListed(container, attribute, value, text);
    if (!isPresent(current)) return;
    checkImmutable(attribute, current, undefined, text);
    deleteMember(container, attribute.name);
    return;
  }
  const next = normalizeValue(attribute, value, text);
  if (attribute.multiValued) {
    const existing = verb === 'add' ? asList(current) : [];
    const added: unknown[] = [];
    for (const item of asList(next)) {
      // RFC 7644 §3.5.2.1: adding a value that is already there changes nothing.
      if (![...existing, ...added].some((old) => contains(old, item))) added.push(item);
    }
    const list = [...existing, ...added];
    checkImmutable(attribute, current, list, text);
    keepOnePrimary(attribute, list, added);
    writeOrDelete(container, attribute.name, list);
  } else if (attribute.type === 'complex') {
    // RFC 7644 §3.5.2.1 and §3.5.2.3: both add and replace merge sub-attributes into a complex value.
    const merged = isRecord(current) ? current : {};
    mergeInto(attribute, merged, next as ScimObject, text);
    writeOrDelete(container, attribute.name, merged);
  } else {
    checkImmutable(attribute, current, next, text);
    setMember(container, attribute.name, next);
  }
}

function mergeInto(attribute: AttributeDefinition, target: ScimObject, patch: ScimObject, label: string): void {
  for (const [name, value] of Object.entries(patch)) {
    const sub = findSubAttribute(attribute, name);
    if (sub !== undefined) checkImmutable(sub, getMember(target, sub.name), value, `${label}.${sub.name}`);
    setMember(target, sub?.name ?? name, value);
  }
}

/** Entra removes group members with `value: [{"value": "<id>"}]` and no filter; absent values are skipped. */
function removeListed(container: ScimObject, attribute: AttributeDefinition, value: unknown, label: string): void {
  const doomed = asList(normalizeValue(attribute, value, label)).filter(isPresent);
  const kept = asList(getMember(container, attribute.name)).filter((old) => !doomed.some((item) => contains(old, item)));
  writeOrDelete(container, attribute.name, kept);
}

function applySub(container: ScimObject, verb: PatchVerb, path: PatchPath, sub: AttributeDefinition, value: unknown): void {
  const { attribute, text } = path;
  if (attribute.multiValued) {
    throw ScimError.invalidPath(`"${text}" names a sub-attribute of every "${attribute.name}" value; select values with ${attribute.name}[type eq "work"].${sub.name}`);
  }
  const current = getMember(container, attribute.name);
  if (verb === 'remove') {
    if (!isRecord(current) || !isPresent(getMember(current, sub.name))) return;
    checkImmutable(sub, getMember(current, sub.name), undefined, text);
    deleteMember(current, sub.name);
    writeOrDelete(container, attribute.name, current);
    return;
  }
  const parent = isRecord(current) ? current : {};
  const next = normalizeValue(sub, value, text);
  checkImmutable(sub, getMember(parent, sub.name), next, text);
  setMember(parent, sub.name, next);
  writeOrDelete(container, attribute.name, parent);
}

function applyFiltered(
  container: ScimObject,
  verb: PatchVerb,
  path: PatchPath,
  matches: (element: unknown) => boolean,
  value: unknown,
  unassign: boolean,
): void {
  const { attribute, subAttribute: sub, text } = path;
  const list = asList(getMember(container, attribute.name));
  const matched = list.filter(matches).filter(isRecord);
  if (matched.length === 0) {
    const seed = verb === 'remove' || sub === undefined ? undefined : seedFor(verb, attribute, path.filter);
    if (seed !== undefined && sub !== undefined) {
      setMember(seed, sub.name, normalizeValue(sub, value, text));
      list.push(seed);
      keepOnePrimary(attribute, list, [seed]);
      return writeOrDelete(container, attribute.name, list);
    }
    if (unassign) return;
    throw ScimError.noTarget(`no value of "${attribute.name}" matches "${text}"`);
  }
  if (verb === 'remove') {
    if (sub === undefined) return writeOrDelete(container, attribute.name, list.filter((e) => !matched.includes(e as ScimObject)));
    for (const element of matched) {
      checkImmutable(sub, getMember(element, sub.name), undefined, text);
      deleteMember(element, sub.name);
    }
    return writeOrDelete(container, attribute.name, list.filter(isPresent));
  }
  if (sub !== undefined) {
    const next = normalizeValue(sub, value, text);
    for (const element of matched) {
      checkImmutable(sub, getMember(element, sub.name), next, text);
      setMember(element, sub.name, next);
    }
  } else {
    const next = normalizeComplex(attribute, value, text);
    for (const element of matched) {
      const patch = structuredClone(next);
      // RFC 7644 §3.5.2.3 replaces matching values whole; add merges into them. readOnly
      // members stay (the server fills them) and immutable ones stay for mergeInto to check.
      if (verb === 'replace') {
        for (const key of Object.keys(element)) {
          const mutability = findSubAttribute(attribute, key)?.mutability;
          if (mutability !== 'readOnly' && mutability !== 'immutable') delete element[key];
        }
      }
      mergeInto(attribute, element, patch, text);
    }
  }
  keepOnePrimary(attribute, list, matched);
  writeOrDelete(container, attribute.name, list);
}

/**
 * The element an add or replace at `attr[filter].sub` creates when its filter matches nothing,
 * or undefined when it fails with noTarget. RFC 7644 §3.5.2.3 makes an unmatched filter of a
 * replace `noTarget`; Entra documents creating `emails[type eq "work"].value` when no work email
 * exists (DESIGN.md quirks), so a replace still creates the element its selectors fully describe:
 * `type eq "…"` and `primary eq true`, alone or and-ed. Any other filter (`value eq "…"`) names
 * a value that is not there, and making one up would be a write the client never asked for.
 * An add keeps creating what any `eq` describes: §3.5.2.1 "If the target location does not
 * exist, the attribute and value are added".
 */
function seedFor(verb: 'add' | 'replace', attribute: AttributeDefinition, filter: Filter | undefined): ScimObject | undefined {
  const seed = seedFromFilter(attribute, filter);
  if (seed === undefined || verb === 'add') return seed;
  const isSelector = ([name, value]: [string, unknown]): boolean => name === 'type' || (name === 'primary' && value === true);
  return Object.entries(seed).every(isSelector) ? seed : undefined;
}

/** The element an `eq` filter (or an `and` of them) describes, e.g. `{type: "work"}`. */
function seedFromFilter(attribute: AttributeDefinition, filter: Filter | undefined): ScimObject | undefined {
  if (filter === undefined) return undefined;
  if (filter.kind === 'and') {
    const left = seedFromFilter(attribute, filter.left);
    const right = seedFromFilter(attribute, filter.right);
    return left && right && { ...left, ...right };
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  const sub = findSubAttribute(attribute, filter.path.attr);
  if (sub === undefined || sub.mutability === 'readOnly') return undefined;
  const seed: ScimObject = {};
  setMember(seed, sub.name, filter.value);
  return seed;
}

/** RFC 7643 §2.4: "primary" is true on at most one value; the newest one set wins. */
function keepOnePrimary(attribute: AttributeDefinition, list: readonly unknown[], changed: readonly unknown[]): void {
  if (findSubAttribute(attribute, 'primary') === undefined) return;
  const primaries = list.filter((e) => getMember(e, 'primary') === true);
  if (primaries.length <= 1) return;
  const winner = changed.filter((e) => getMember(e, 'primary') === true).at(-1) ?? primaries.at(-1);
  for (const element of primaries) {
    if (element !== winner && isRecord(element)) deleteMember(element, 'primary');
  }
}
