import type { AttributeDefinition } from './schemas/characteristics.js';
import { topLevelAttributes, type ResourceContext } from './validation/resource-context.js';

/** What happens to one attribute's value under a projection, decided once (RFC 7643 §7, RFC 7644 §3.4.2.5). */
export type MemberPlan =
  | { readonly kind: 'drop' }
  | { readonly kind: 'keep' }
  /** A complex attribute: each element keeps the sub-attributes returned, and those the schema does not know. */
  | { readonly kind: 'complex'; readonly subs: ReadonlyMap<string, boolean> };

/** An extension's JSON object: its attributes' plans. */
export interface ExtensionPlan {
  readonly kind: 'extension';
  readonly members: ReadonlyMap<string, MemberPlan>;
}

/**
 * A projection compiled against one resource type: for every key a resource may hold (lower-cased,
 * since names are case-insensitive), what to do with its value. Built once per distinct
 * `attributes`/`excludedAttributes` pair and resource type, then applied to every resource of a
 * page without looking a name up in the schemas again.
 */
export interface ProjectionPlan {
  readonly top: ReadonlyMap<string, MemberPlan | ExtensionPlan>;
  /** A key the schemas do not know (only our own mapper writes resources) counts as `returned: default`. */
  readonly unknown: MemberPlan;
  /** The top-level keys the answer can hold, for loaders: core and common by name, extension ones as `urn:…:name`. */
  readonly returnedTopLevel: ReadonlySet<string>;
}

export interface ProjectionRules {
  isReturned(attribute: AttributeDefinition, extension: string | undefined): boolean;
  isSubReturned(parent: AttributeDefinition, extension: string | undefined, sub: AttributeDefinition): boolean;
  readonly namesAttributes: boolean;
}

/** The names Roster always returns whatever the projection (RFC 7643 §3.1 gives them no `returned`). */
export const ALWAYS_KEPT: ReadonlySet<string> = new Set(['schemas', 'meta']);

export function compileProjectionPlan(context: ResourceContext, rules: ProjectionRules): ProjectionPlan {
  const unknown: MemberPlan = rules.namesAttributes ? { kind: 'drop' } : { kind: 'keep' };
  const top = new Map<string, MemberPlan | ExtensionPlan>();
  const returnedTopLevel = new Set<string>(ALWAYS_KEPT);
  // First match wins, as the schema lookup by name did.
  for (const attribute of topLevelAttributes(context)) {
    const key = attribute.name.toLowerCase();
    if (!top.has(key)) top.set(key, memberPlan(attribute, undefined, rules));
    if (rules.isReturned(attribute, undefined)) returnedTopLevel.add(attribute.name);
  }
  for (const { schema } of context.extensions) {
    const members = new Map<string, MemberPlan>();
    for (const attribute of schema.attributes) {
      const key = attribute.name.toLowerCase();
      if (!members.has(key)) members.set(key, memberPlan(attribute, schema.id, rules));
      if (rules.isReturned(attribute, schema.id)) returnedTopLevel.add(`${schema.id}:${attribute.name}`);
    }
    const key = schema.id.toLowerCase();
    if (!top.has(key) || top.get(key)?.kind !== 'extension') top.set(key, { kind: 'extension', members });
  }
  return { top, unknown, returnedTopLevel };
}

function memberPlan(attribute: AttributeDefinition, extension: string | undefined, rules: ProjectionRules): MemberPlan {
  if (!rules.isReturned(attribute, extension)) return { kind: 'drop' };
  if (attribute.type !== 'complex') return { kind: 'keep' };
  const subs = new Map<string, boolean>();
  for (const sub of attribute.subAttributes ?? []) {
    const key = sub.name.toLowerCase();
    if (!subs.has(key)) subs.set(key, rules.isSubReturned(attribute, extension, sub));
  }
  return { kind: 'complex', subs };
}
