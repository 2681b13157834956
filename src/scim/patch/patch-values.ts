import { ScimError } from '../errors.js';
import type { AttributeDefinition, AttributeType } from '../schemas/characteristics.js';
import { findSubAttribute } from './patch-path.js';
import { isPresent, isRecord, type ScimObject, setMember } from './scim-json.js';

/**
 * RFC 7643 §2.3: checks one client value against `attribute` and returns it in canonical form:
 * an array for multi-valued attributes, sub-attribute names spelled as the schema spells them.
 * `label` names the value in error messages.
 */
export function normalizeValue(attribute: AttributeDefinition, value: unknown, label: string): unknown {
  if (attribute.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    return items
      .filter((item) => item !== null)
      .map((item) => normalizeSingle(attribute, item, label))
      .filter(isPresent);
  }
  if (Array.isArray(value)) throw ScimError.invalidValue(`"${label}" is single-valued; send one value, not an array`);
  return normalizeSingle(attribute, value, label);
}

function normalizeSingle(attribute: AttributeDefinition, value: unknown, label: string): unknown {
  return attribute.type === 'complex' ? normalizeComplex(attribute, value, label) : normalizeScalar(attribute.type, value, label);
}

/**
 * RFC 7643 §2.3.8: a complex value. Two client quirks become `{value: x}`: roles and
 * entitlements sent as plain strings, and the enterprise manager sent as an id string.
 * readOnly sub-attributes (members.display, manager.displayName) are dropped, as RFC 7643 §7
 * lets a service provider ignore them; Okta sends `display` with every member it adds.
 */
export function normalizeComplex(attribute: AttributeDefinition, value: unknown, label: string): ScimObject {
  let object: ScimObject;
  if (isRecord(value)) object = value;
  else if (isScalar(value) && findSubAttribute(attribute, 'value') !== undefined) object = { value };
  else throw ScimError.invalidValue(`"${label}" is complex; send an object of its sub-attributes`);

  const result: ScimObject = {};
  for (const [key, raw] of Object.entries(object)) {
    const sub = findSubAttribute(attribute, key);
    if (sub === undefined) throw ScimError.invalidValue(`"${label}" has no sub-attribute "${key}"`);
    if (sub.mutability === 'readOnly' || raw === null) continue;
    setMember(result, sub.name, normalizeValue(sub, raw, `${label}.${sub.name}`));
  }
  return result;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
]);

/** RFC 7643 §2.3.1–2.3.7 simple types; Entra sends booleans as "True" and "False". */
export function normalizeScalar(type: AttributeType, value: unknown, label: string): string | number | boolean {
  const wrong = (expected: string): never => {
    throw ScimError.invalidValue(`"${label}" is ${type}; expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  };
  switch (type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const parsed = typeof value === 'string' ? BOOLEAN_TEXT.get(value.toLowerCase()) : undefined;
      return parsed ?? wrong('true or false');
    }
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : wrong('an integer');
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? value : wrong('a number');
    case 'dateTime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : wrong('a dateTime string');
    case 'string':
    case 'reference':
    case 'binary':
      return typeof value === 'string' ? value : wrong('a string');
    case 'complex':
      return wrong('an object');
  }
}
