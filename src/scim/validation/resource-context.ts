import type { AttributeDefinition, SchemaDefinition } from '../schemas/characteristics.js';

/** A resource type as validation and projection see it: core schema, extensions (RFC 7643 §6) and common attributes (§3.1). */
export interface ResourceContext {
  readonly coreSchema: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
  readonly commonAttributes: readonly AttributeDefinition[];
}

/** The attribute of `attributes` named `name` in any case (RFC 7643 §2.1). */
export function findAttributeByName(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === wanted);
}

/** The attributes at the top of the JSON: the core schema's and the common ones (RFC 7643 §3.1). */
export function topLevelAttributes(context: ResourceContext): readonly AttributeDefinition[] {
  return [...context.coreSchema.attributes, ...context.commonAttributes];
}

/** The extension whose URN is `key` in any case (RFC 7643 §3.3: extension attributes sit under their URN). */
export function findExtension(context: ResourceContext, key: string): SchemaDefinition | undefined {
  const wanted = key.toLowerCase();
  return context.extensions.find((e) => e.schema.id.toLowerCase() === wanted)?.schema;
}
