import type { AttributeDefinition, AttributeType, Returned, SchemaDefinition } from '../schemas/characteristics.js';
import type { AttrPath } from './ast.js';

/** What a filter needs to know about one attribute (RFC 7643 §2.2, §7). */
export interface AttributeInfo {
  /** The name as the schema spells it, which is also its key in SCIM JSON. */
  readonly name: string;
  readonly type: AttributeType;
  readonly caseExact: boolean;
  readonly multiValued: boolean;
  readonly returned: Returned;
  readonly canonicalValues?: readonly string[];
}

export interface ResolvedAttribute {
  /** The extension schema URN whose key holds the attribute in SCIM JSON (RFC 7643 §3.3); absent for core attributes. */
  readonly extension?: string;
  readonly attribute: AttributeInfo;
  /** Present when the path names a sub-attribute. */
  readonly subAttribute?: AttributeInfo;
}

/**
 * Looks an attribute path up, or returns undefined when it is unknown. Inside a value path the
 * schema context is the bracketed attribute: `emails[type eq "work"]` asks for `emails.type`.
 */
export type AttributeResolver = (path: AttrPath) => ResolvedAttribute | undefined;

const lower = (s: string): string => s.toLowerCase();

/** Distinct paths whose answers a resolver keeps; a client sending ever new ones only refills it. */
const MAX_REMEMBERED_PATHS = 1024;

function findByName(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const wanted = lower(name);
  return attributes.find((a) => lower(a.name) === wanted);
}

/**
 * RFC 7644 §3.10 attribute lookup over a resource type's schemas. `schemas[0]` is the core
 * schema, whose attributes and the common ones (RFC 7643 §3.1) sit at the top of the JSON;
 * the rest are extensions. Names and URNs match case-insensitively. A name without a URN is
 * looked for in the core schema, then the common attributes, then each extension in order.
 */
export function createSchemaResolver(
  schemas: readonly SchemaDefinition[],
  commonAttributes: readonly AttributeDefinition[],
): AttributeResolver {
  const [core, ...extensions] = schemas;
  const coreScope = { attributes: [...(core?.attributes ?? []), ...commonAttributes] };
  const extensionScopes = extensions.map((s) => ({ extension: s.id, attributes: s.attributes }));

  const scopesFor = (uri: string | undefined): readonly { extension?: string; attributes: readonly AttributeDefinition[] }[] => {
    if (uri === undefined) return [coreScope, ...extensionScopes];
    if (core !== undefined && lower(core.id) === lower(uri)) return [coreScope];
    return extensionScopes.filter((s) => lower(s.extension) === lower(uri));
  };

  const lookUp = (path: AttrPath): ResolvedAttribute | undefined => {
    for (const scope of scopesFor(path.uri)) {
      const attribute = findByName(scope.attributes, path.attr);
      if (attribute === undefined) continue;
      const extension = scope.extension === undefined ? {} : { extension: scope.extension };
      if (path.sub === undefined) return { ...extension, attribute };
      const subAttribute = findByName(attribute.subAttributes ?? [], path.sub);
      return subAttribute === undefined ? undefined : { ...extension, attribute, subAttribute };
    }
    return undefined;
  };

  // A filter resolves each of its paths several times while it is checked and compiled to SQL,
  // and every request of a sync names the same few paths: each lookup lower-cased every name of
  // a schema again (a tenth of a `emails[type eq "work"].value` filter request's CPU, profiled).
  // The schemas of a resolver never change, so an answer stays right; the map is bounded because
  // the paths come from clients.
  const answers = new Map<string, ResolvedAttribute | undefined>();
  return (path) => {
    const key = `${path.uri ?? ''}\u0000${path.attr}\u0000${path.sub ?? '\u0001'}`;
    const known = answers.get(key);
    if (known !== undefined || answers.has(key)) return known;
    const answer = lookUp(path);
    if (answers.size >= MAX_REMEMBERED_PATHS) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
