import { isPresent, isRecord, type ScimObject, setMember } from '../../src/scim/patch/scim-json.js';
import type { AttributeRef, Projection } from '../../src/scim/projection.js';
import type { AttributeDefinition } from '../../src/scim/schemas/characteristics.js';
import { findAttributeByName, findExtension, type ResourceContext, topLevelAttributes } from '../../src/scim/validation/resource-context.js';

// A frozen copy of the projection as it was before plans (src/scim/projection.ts at b53ff23):
// every name looked up in the schemas for every resource. The projection-plan test holds the
// compiled plans to give exactly its answers. Not to be "fixed": it is the reference.

const ALWAYS_KEPT = new Set(['schemas', 'meta']);

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
 * RFC 7644 §3.4.2.5 and §3.9: a new resource holding only what the client asked for. `returned:
 * never` values (password) are dropped even without a projection; `always` ones are kept; an
 * extension left empty is dropped while its URN stays in `schemas`.
 */
export function projectResourceByRules(resource: ScimObject, projection: Projection, context: ResourceContext): ScimObject {
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
