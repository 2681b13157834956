import { ScimError } from './errors.js';
import { attrPath } from './filter/ast.js';
import { createSchemaResolver } from './filter/attribute-resolver.js';
import { isPresent, isRecord, type ScimObject } from './patch/scim-json.js';
import { ALWAYS_KEPT, compileProjectionPlan, type ExtensionPlan, type MemberPlan, type ProjectionPlan } from './projection-plan.js';
import type { AttributeDefinition } from './schemas/characteristics.js';
import type { ResourceContext } from './validation/resource-context.js';

/** One name from `attributes` or `excludedAttributes`, spelled as the schemas spell it (RFC 7644 §3.10). */
export interface AttributeRef {
  /** The extension URN whose JSON key holds the attribute; absent for core and common attributes. */
  readonly extension?: string;
  readonly attribute: string;
  readonly subAttribute?: string;
}

/** What the client asked for; both absent means the `returned: default` set. */
export interface Projection {
  readonly attributes?: readonly AttributeRef[];
  readonly excludedAttributes?: readonly AttributeRef[];
}

// RFC 7643 §3.1 gives schemas and meta no "returned"; Roster always returns them (ALWAYS_KEPT),
// since clients read meta.version and meta.location whatever they projected.

/**
 * RFC 7644 §3.4.2.5: parses `attributes` / `excludedAttributes`, a comma-separated list of
 * `name`, `name.sub` or `urn:…:name[.sub]`. The RFC is silent on unknown names; Roster answers
 * `invalidValue` so a typo is not mistaken for an empty result. Absent or blank → undefined.
 */
export function parseAttributeList(param: string | undefined, context: ResourceContext): AttributeRef[] | undefined {
  if (param === undefined || param.trim() === '') return undefined;
  const resolve = createSchemaResolver([context.coreSchema, ...context.extensions.map((e) => e.schema)], context.commonAttributes);
  return param
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name): AttributeRef => {
      // "schemas" is no schema attribute (RFC 7643 §3) but is a fair thing to name.
      if (name.toLowerCase() === 'schemas') return { attribute: 'schemas' };
      const found = resolve(attrPath(name));
      if (found === undefined) throw ScimError.invalidValue(`Unknown attribute "${name}" in the attribute list`);
      return {
        ...(found.extension === undefined ? {} : { extension: found.extension }),
        attribute: found.attribute.name,
        ...(found.subAttribute === undefined ? {} : { subAttribute: found.subAttribute.name }),
      };
    });
}

/** The `attributes` / `excludedAttributes` pair of a query string or SearchRequest, parsed against one resource type. */
export interface ProjectionParams {
  readonly attributes?: string;
  readonly excludedAttributes?: string;
}

/** Distinct attribute lists remembered per resource type; a client sending ever new ones only refills it. */
const MAX_REMEMBERED_PROJECTIONS = 256;
const parsedProjections = new WeakMap<ResourceContext, Map<string, Projection>>();

/**
 * RFC 7644 §3.4.2.5: both lists at once; read before any work so a typo costs nothing. The same
 * lists give the same (frozen) Projection, so its compiled plan is found again (projection-plan.ts).
 */
export function parseProjection(params: ProjectionParams, context: ResourceContext): Projection {
  let known = parsedProjections.get(context);
  if (known === undefined) parsedProjections.set(context, (known = new Map()));
  const key = `${params.attributes ?? '\u0001'}\u0000${params.excludedAttributes ?? '\u0001'}`;
  const remembered = known.get(key);
  if (remembered !== undefined) return remembered;
  const projection = Object.freeze({
    attributes: parseAttributeList(params.attributes, context),
    excludedAttributes: parseAttributeList(params.excludedAttributes, context),
  });
  if (known.size >= MAX_REMEMBERED_PROJECTIONS) known.clear();
  known.set(key, projection);
  return projection;
}

const compiledPlans = new WeakMap<Projection, { readonly context: ResourceContext; readonly plan: ProjectionPlan }>();

/** The projection's plan for `context`, compiled on first use. */
function planOf(projection: Projection, context: ResourceContext): ProjectionPlan {
  const compiled = compiledPlans.get(projection);
  if (compiled !== undefined && compiled.context === context) return compiled.plan;
  const plan = compileProjectionPlan(context, {
    namesAttributes: projection.attributes !== undefined,
    isReturned: (attribute, extension) => isReturned(attribute, extension, projection),
    isSubReturned: (parent, extension, sub) => isSubReturned(parent, extension, sub, projection),
  });
  compiledPlans.set(projection, { context, plan });
  return plan;
}

/** Whether the client named attributes at all (RFC 7644 §3.4.2.5), i.e. asked for the resource in a PATCH answer. */
export function isProjected(projection: Projection): boolean {
  return projection.attributes !== undefined || projection.excludedAttributes !== undefined;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function refsTo(refs: readonly AttributeRef[] | undefined, extension: string | undefined, attribute: AttributeDefinition): AttributeRef[] {
  return (refs ?? []).filter(
    (ref) => sameName(ref.attribute, attribute.name) && (ref.extension ?? '').toLowerCase() === (extension ?? '').toLowerCase(),
  );
}

/** RFC 7643 §7 "returned" with RFC 7644 §3.4.2.5: whether any part of `attribute` is returned. */
function isReturned(attribute: AttributeDefinition, extension: string | undefined, projection: Projection): boolean {
  if (attribute.returned === 'never') return false;
  if (attribute.returned === 'always') return true;
  if (projection.attributes !== undefined) {
    if (refsTo(projection.attributes, extension, attribute).length === 0) return false;
  } else if (attribute.returned === 'request') return false;
  return !refsTo(projection.excludedAttributes, extension, attribute).some((ref) => ref.subAttribute === undefined);
}

/** Whether `sub` of a returned `parent` is returned: naming a sub-attribute returns just it. */
function isSubReturned(parent: AttributeDefinition, extension: string | undefined, sub: AttributeDefinition, projection: Projection): boolean {
  if (sub.returned === 'never') return false;
  if (sub.returned === 'always') return true;
  const named = refsTo(projection.attributes, extension, parent);
  const isNamed = named.some((ref) => ref.subAttribute !== undefined && sameName(ref.subAttribute, sub.name));
  if (sub.returned === 'request' && !isNamed) return false;
  const isWhole = parent.returned === 'always' || projection.attributes === undefined || named.some((ref) => ref.subAttribute === undefined);
  if (!isWhole && !isNamed) return false;
  return !refsTo(projection.excludedAttributes, extension, parent).some((ref) => ref.subAttribute !== undefined && sameName(ref.subAttribute, sub.name));
}

/**
 * RFC 7644 §3.4.2.5 and §3.9: the top-level keys the response can hold, so a repository can
 * skip loading what is not returned (STYLE.md §5: `excludedAttributes=members` never loads
 * members). Core and common attributes appear by name, extension ones as `urn:…:name`.
 */
export function requestedTopLevelAttributes(projection: Projection, context: ResourceContext): ReadonlySet<string> {
  return planOf(projection, context).returnedTopLevel;
}

/**
 * RFC 7644 §3.4.2.5 and §3.9: the resource holding only what the client asked for. `returned:
 * never` values (password) are dropped even without a projection; `always` ones are kept; an
 * extension left empty is dropped while its URN stays in `schemas`. A key the schemas do not know
 * (only our own mapper writes resources) counts as `returned: default`. When the projection keeps
 * every member as it is (the default projection of most resources), the answer is `resource`
 * itself: building the same object again was the largest part of a list page's JavaScript.
 */
export function projectResource(resource: ScimObject, projection: Projection, context: ResourceContext): ScimObject {
  const plan = planOf(projection, context);
  const keys = Object.keys(resource);
  const folded = foldedKeys(keys);
  const twice = hasTwoSpellings(folded);
  if (!twice && keepsEveryMember(resource, keys, folded, plan)) return resource;
  const result = new ProjectedObject(twice);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = resource[key];
    if (ALWAYS_KEPT.has(key)) {
      result.set(key, value, folded[i]);
      continue;
    }
    const member = plan.top.get(folded[i]) ?? plan.unknown;
    const projected =
      member.kind === 'extension' ? (isRecord(value) ? projectExtension(value, member, plan.unknown) : applyMember(plan.unknown, value)) : applyMember(member, value);
    if (isPresent(projected)) result.set(key, projected, folded[i]);
  }
  return result.object;
}

/**
 * Whether the loop below would give every member back as it is: each one returned whole (no
 * sub-attribute left out, nothing unassigned, no name spelled twice). Mirrors projectExtension,
 * applyMember and projectElement (projection.spec.ts checks the two agree).
 */
function keepsEveryMember(resource: ScimObject, keys: readonly string[], folded: readonly string[], plan: ProjectionPlan): boolean {
  for (let i = 0; i < keys.length; i++) {
    if (ALWAYS_KEPT.has(keys[i])) continue;
    const member = plan.top.get(folded[i]) ?? plan.unknown;
    const value = resource[keys[i]];
    const kept = member.kind === 'extension' ? isRecord(value) && keepsExtension(value, member, plan.unknown) : keepsMember(member, value);
    if (!kept) return false;
  }
  return true;
}

function keepsExtension(object: ScimObject, extension: ExtensionPlan, unknown: MemberPlan): boolean {
  const keys = Object.keys(object);
  const folded = foldedKeys(keys);
  if (keys.length === 0 || hasTwoSpellings(folded)) return false;
  for (let i = 0; i < keys.length; i++) if (!keepsMember(extension.members.get(folded[i]) ?? unknown, object[keys[i]])) return false;
  return true;
}

/** Whether applyMember gives `value` back and it is present (an unassigned one is left out). */
function keepsMember(member: MemberPlan, value: unknown): boolean {
  if (member.kind === 'drop') return false;
  if (member.kind === 'keep') return isPresent(value);
  if (!Array.isArray(value)) return keepsElement(value, member.subs) && isPresent(value);
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) if (!keepsElement(value[i], member.subs) || !isPresent(value[i])) return false;
  return true;
}

/** projectElement's own test for giving the element back as it is. */
function keepsElement(element: unknown, subs: ReadonlyMap<string, boolean>): boolean {
  if (!isRecord(element)) return true;
  const folded = foldedKeys(Object.keys(element));
  return !hasTwoSpellings(folded) && everySubReturned(folded, subs);
}

function projectExtension(object: ScimObject, extension: ExtensionPlan, unknown: MemberPlan): ScimObject {
  const keys = Object.keys(object);
  const folded = foldedKeys(keys);
  const result = new ProjectedObject(hasTwoSpellings(folded));
  for (let i = 0; i < keys.length; i++) {
    const projected = applyMember(extension.members.get(folded[i]) ?? unknown, object[keys[i]]);
    if (isPresent(projected)) result.set(keys[i], projected, folded[i]);
  }
  return result.object;
}

function applyMember(member: MemberPlan, value: unknown): unknown {
  if (member.kind === 'drop') return undefined;
  if (member.kind === 'keep') return value;
  return Array.isArray(value) ? value.map((element) => projectElement(element, member.subs)).filter(isPresent) : projectElement(value, member.subs);
}

/** One value of a complex attribute: its returned sub-attributes, and those the schema does not know. */
function projectElement(element: unknown, subs: ReadonlyMap<string, boolean>): unknown {
  if (!isRecord(element)) return element;
  const keys = Object.keys(element);
  const folded = foldedKeys(keys);
  // The usual case (every sub-attribute returned, each spelled once) is the element itself, as a
  // `keep` member's value is: projection builds a new resource but never changes a value.
  const twice = hasTwoSpellings(folded);
  if (!twice && everySubReturned(folded, subs)) return element;
  const kept = new ProjectedObject(twice);
  for (let i = 0; i < keys.length; i++) {
    if (subs.get(folded[i]) !== false) kept.set(keys[i], element[keys[i]], folded[i]);
  }
  return kept.object;
}

function everySubReturned(folded: readonly string[], subs: ReadonlyMap<string, boolean>): boolean {
  for (let i = 0; i < folded.length; i++) if (subs.get(folded[i]) === false) return false;
  return true;
}

/**
 * Member names lower-cased (RFC 7643 §2.1), remembered: the same few dozen names come back in
 * every resource, and lower-casing each again allocated a string per key per resource.
 */
const FOLDED_NAMES_KEPT = 4096;
const foldedNames = new Map<string, string>();

function foldedKeys(keys: readonly string[]): string[] {
  const result = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    let folded = foldedNames.get(key);
    if (folded === undefined) {
      folded = key.toLowerCase();
      // Bounded: keys a client stored are many and arbitrary; a full map starts again.
      if (foldedNames.size >= FOLDED_NAMES_KEPT) foldedNames.clear();
      foldedNames.set(key, folded);
    }
    result[i] = folded;
  }
  return result;
}

/** Whether two keys spell one name (RFC 7643 §2.1). Most objects have a handful of keys, compared in pairs; a large one (a client's own extension) goes through a set. */
function hasTwoSpellings(folded: readonly string[]): boolean {
  if (folded.length > 16) return new Set(folded).size !== folded.length;
  for (let i = 1; i < folded.length; i++) {
    for (let j = 0; j < i; j++) if (folded[i] === folded[j]) return true;
  }
  return false;
}

/**
 * The answer being built. A name set twice in two spellings keeps the last, as setMember does
 * (RFC 7643 §2.1), without setMember's scan of every key for every name; when no two keys of the
 * source spell one name, nothing needs tracking.
 */
class ProjectedObject {
  readonly object: ScimObject = {};
  private readonly spellings: Map<string, string> | undefined;

  /** `tracksSpellings`: whether the source spells one name twice (hasTwoSpellings). */
  constructor(tracksSpellings: boolean) {
    this.spellings = tracksSpellings ? new Map() : undefined;
  }

  set(key: string, value: unknown, folded: string): void {
    if (this.spellings !== undefined) {
      const earlier = this.spellings.get(folded);
      if (earlier !== undefined) delete this.object[earlier];
      this.spellings.set(folded, key);
    }
    // A plain assignment, except for the one name it would not store as a key.
    if (key === '__proto__') Object.defineProperty(this.object, key, { value, writable: true, enumerable: true, configurable: true });
    else this.object[key] = value;
  }
}
