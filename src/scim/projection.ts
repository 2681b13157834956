import { ScimError } from './errors.js';
import { attrPath } from './filter/ast.js';
import { createSchemaResolver } from './filter/attribute-resolver.js';
import { isPresent, isRecord, type ScimObject, setMember } from './patch/scim-json.js';
import type { AttributeDefinition } from './schemas/characteristics.js';
import { findAttributeByName, findExtension, type ResourceContext, topLevelAttributes } from './validation/resource-context.js';

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

// RFC 7643 §3.1 gives schemas and meta no "returned"; Roster always returns them, since
// clients read meta.version and meta.location whatever they projected.
const ALWAYS_KEPT = new Set(['schemas', 'meta']);

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

/** RFC 7644 §3.4.2.5: both lists at once; read before any work so a typo costs nothing. */
export function parseProjection(params: ProjectionParams, context: ResourceContext): Projection {
  return {
    attributes: parseAttributeList(params.attributes, context),
    excludedAttributes: parseAttributeList(params.excludedAttributes, context),
  };
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
export function requestedTopLevelAttributes(projection: Projection, context: ResourceContext): Set<string> {
  const names = new Set<string>(ALWAYS_KEPT);
  for (const attribute of topLevelAttributes(context)) {
    if (isReturned(attribute, undefined, projection)) names.add(attribute.name);
  }
  for (const { schema } of context.extensions) {
    for (const attribute of schema.attributes) {
      if (isReturned(attribute, schema.id, projection)) names.add(`${schema.id}:${attribute.name}`);
    }
  }
  return names;
}

/**
 * RFC 7644 §3.4.2.5 and §3.9: a new resource holding only what the client asked for. `returned:
 * never` values (password) are dropped even without a projection; `always` ones are kept; an
 * extension left empty is dropped while its URN stays in `schemas`.
 */
export function projectResource(resource: ScimObject, projection: Projection, context: ResourceContext): ScimObject {
  const result: ScimObject = {};
  const topLevel = topLevelAttributes(context);
  for (const [key, value] of Object.entries(resource)) {
    if (ALWAYS_KEPT.has(key)) {
      setMember(result, key, value);
      continue;
    }
    const extension = findExtension(context, key);
    const projected =
      extension !== undefined && isRecord(value)
        ? projectAttributes(value, extension.attributes, extension.id, projection)
        : projectMember(findAttributeByName(topLevel, key), undefined, value, projection);
    if (isPresent(projected)) setMember(result, key, projected);
  }
  return result;
}

function projectAttributes(object: ScimObject, attributes: readonly AttributeDefinition[], extension: string, projection: Projection): ScimObject {
  const result: ScimObject = {};
  for (const [key, value] of Object.entries(object)) {
    const projected = projectMember(findAttributeByName(attributes, key), extension, value, projection);
    if (isPresent(projected)) setMember(result, key, projected);
  }
  return result;
}

// A key the schemas do not know (only our own mapper writes resources) counts as `returned: default`.
function projectMember(attribute: AttributeDefinition | undefined, extension: string | undefined, value: unknown, projection: Projection): unknown {
  if (attribute === undefined) return projection.attributes === undefined ? value : undefined;
  if (!isReturned(attribute, extension, projection)) return undefined;
  if (attribute.type !== 'complex') return value;
  const projectOne = (element: unknown): unknown => {
    if (!isRecord(element)) return element;
    const kept: ScimObject = {};
    for (const [key, subValue] of Object.entries(element)) {
      const sub = findAttributeByName(attribute.subAttributes ?? [], key);
      if (sub === undefined || isSubReturned(attribute, extension, sub, projection)) setMember(kept, key, subValue);
    }
    return kept;
  };
  return Array.isArray(value) ? value.map(projectOne).filter(isPresent) : projectOne(value);
}
