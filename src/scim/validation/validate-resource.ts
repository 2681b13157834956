import { ScimError } from '../errors.js';
import { getMember, isRecord, type ScimObject, setMember } from '../patch/scim-json.js';
import type { AttributeDefinition, SchemaDefinition } from '../schemas/characteristics.js';
import { findAttributeByName, findExtension, type ResourceContext, topLevelAttributes } from './resource-context.js';
import { canonicalValue, isAssigned, missingRequired } from './value-checks.js';

export type { ResourceContext } from './resource-context.js';
export type { ScimObject } from '../patch/scim-json.js';

/**
 * RFC 7643 §2 and RFC 7644 §3.3 / §3.5.1: checks a POST or PUT body against the resource
 * type's schemas and returns a new canonical object: names spelled as the schemas spell them,
 * string booleans as booleans, unassigned (null, "", []) and readOnly attributes left out, and
 * `schemas` listing the core URN plus each extension that carries data.
 *
 * Malformed `schemas` is `invalidSyntax`; everything about an attribute (unknown name, wrong
 * type, over a limit, required but missing) is `invalidValue`, as in PATCH.
 */
export function validateResource(body: unknown, context: ResourceContext): ScimObject {
  if (!isRecord(body)) throw ScimError.invalidSyntax('The request body must be a JSON object');
  checkSchemas(getMember(body, 'schemas'), context);

  const result: ScimObject = {};
  const presentExtensions = new Set<string>();
  copyAttributes(body, topLevelAttributes(context), '', result, (key, value) => {
    const extension = findExtension(context, key);
    if (extension === undefined) throw ScimError.invalidValue(`Unknown attribute "${key}"`);
    const values = validateExtension(extension, value);
    if (values !== undefined) {
      setMember(result, extension.id, values);
      presentExtensions.add(extension.id);
    }
  });
  checkRequired(result, context.coreSchema.attributes, '');
  checkRequired(result, context.commonAttributes, '');

  for (const { schema, required } of context.extensions) {
    if (required && !presentExtensions.has(schema.id)) throw missingRequired(schema.id);
  }
  const schemas = [context.coreSchema.id, ...context.extensions.map((e) => e.schema.id).filter((id) => presentExtensions.has(id))];
  return { schemas, ...result };
}

// RFC 7643 §3: "schemas" is REQUIRED and names the core schema and the extensions in use.
function checkSchemas(schemas: unknown, context: ResourceContext): void {
  const core = context.coreSchema.id;
  if (!Array.isArray(schemas) || !schemas.every((urn): urn is string => typeof urn === 'string')) {
    throw ScimError.invalidSyntax(`"schemas" must be an array of schema URNs including "${core}"`);
  }
  if (!schemas.some((urn) => urn.toLowerCase() === core.toLowerCase())) {
    throw ScimError.invalidSyntax(`"schemas" must include "${core}"`);
  }
  for (const urn of schemas) {
    if (urn.toLowerCase() !== core.toLowerCase() && findExtension(context, urn) === undefined) {
      throw ScimError.invalidSyntax(`"schemas" names "${urn}", which this resource type does not use`);
    }
  }
}

// Extension data is accepted even when its URN is missing from "schemas": the key already
// names the schema unambiguously, and the output lists it.
function validateExtension(extension: SchemaDefinition, value: unknown): ScimObject | undefined {
  if (value === null) return undefined;
  if (!isRecord(value)) throw ScimError.invalidValue(`"${extension.id}" is a schema extension; send an object of its attributes`);
  const result: ScimObject = {};
  copyAttributes(value, extension.attributes, `${extension.id}:`, result, (key) => {
    throw ScimError.invalidValue(`Unknown attribute "${extension.id}:${key}"`);
  });
  if (Object.keys(result).length === 0) return undefined;
  checkRequired(result, extension.attributes, `${extension.id}:`);
  return result;
}

/** Copies each known member of `source` into `target` in canonical form; `onUnknown` handles the rest. */
function copyAttributes(
  source: ScimObject,
  attributes: readonly AttributeDefinition[],
  prefix: string,
  target: ScimObject,
  onUnknown: (key: string, value: unknown) => void,
): void {
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(source)) {
    if (prefix === '' && key.toLowerCase() === 'schemas') continue;
    const attribute = findAttributeByName(attributes, key);
    if (attribute === undefined) {
      onUnknown(key, raw);
      continue;
    }
    if (seen.has(attribute.name)) throw ScimError.invalidValue(`"${prefix}${attribute.name}" is sent more than once`);
    seen.add(attribute.name);
    // RFC 7644 §3.5.1: readOnly values sent by the client "SHALL be ignored" (id, meta, groups).
    if (attribute.mutability === 'readOnly') continue;
    const value = canonicalValue(attribute, raw, `${prefix}${attribute.name}`);
    if (value !== undefined) setMember(target, attribute.name, value);
  }
}

function checkRequired(result: ScimObject, attributes: readonly AttributeDefinition[], prefix: string): void {
  for (const attribute of attributes) {
    if (!attribute.required || attribute.mutability === 'readOnly') continue;
    const value = Object.hasOwn(result, attribute.name) ? result[attribute.name] : undefined;
    if (!isAssigned(value)) throw missingRequired(`${prefix}${attribute.name}`);
  }
}
