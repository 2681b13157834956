import { ScimError } from '../errors.js';
import { normalizeComplex, normalizeScalar } from '../patch/patch-values.js';
import { asList, isPresent, isRecord, type ScimObject } from '../patch/scim-json.js';
import { isStorableText } from '../storable-text.js';
import type { AttributeDefinition } from '../schemas/characteristics.js';

// RFC 7643 §2.3.5: xsd:dateTime, e.g. 2008-01-23T04:56:22Z; the time zone is optional there.
const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
// RFC 7643 §2.3.6: binary is base64 (RFC 4648 §4), padded.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * RFC 7643 §2.3 and §2.4: one client value of `attribute` in canonical form, or undefined when
 * unassigned (§2.5). Unlike PATCH, a multi-valued attribute must be sent as an array.
 */
export function canonicalValue(attribute: AttributeDefinition, value: unknown, label: string): unknown {
  if (value === null) return undefined;
  if (!attribute.multiValued) {
    if (Array.isArray(value)) throw ScimError.invalidValue(`"${label}" is single-valued; send one value, not an array`);
    const single = canonicalSingleValue(attribute, value, label);
    return isPresent(single) ? single : undefined;
  }
  if (!Array.isArray(value)) throw ScimError.invalidValue(`"${label}" is multi-valued; send an array`);
  // Checked before any work on the values, so an oversized array costs nothing.
  if (attribute.maxItems !== undefined && value.length > attribute.maxItems) {
    throw ScimError.invalidValue(`"${label}" takes at most ${attribute.maxItems} values; got ${value.length}`);
  }
  const items = value.filter((item) => item !== null).map((item) => canonicalSingleValue(attribute, item, label));
  checkSinglePrimary(items, label);
  const present = items.filter(isPresent);
  return present.length > 0 ? present : undefined;
}

/**
 * RFC 7643 §2.3: one value of `attribute` (of a multi-valued one, one element) in canonical form.
 * Group PATCH checks each member it is sent with this, so POST, PUT and PATCH share one rule.
 */
export function canonicalSingleValue(attribute: AttributeDefinition, value: unknown, label: string): unknown {
  if (attribute.type !== 'complex') {
    const scalar = normalizeScalar(attribute.type, value, label);
    if (typeof scalar === 'string') checkString(attribute, scalar, label);
    return scalar;
  }
  // normalizeComplex spells sub-attributes canonically, turns "x" into {value: "x"} (roles,
  // entitlements, manager) and drops readOnly sub-attributes such as manager.displayName.
  const object = normalizeComplex(attribute, value, label);
  for (const sub of attribute.subAttributes ?? []) checkSubAttribute(sub, object, `${label}.${sub.name}`);
  return object;
}

function checkSubAttribute(sub: AttributeDefinition, object: ScimObject, label: string): void {
  const value = Object.hasOwn(object, sub.name) ? object[sub.name] : undefined;
  if (sub.required && sub.mutability !== 'readOnly' && !isAssigned(value)) throw missingRequired(label);
  const values = asList(value);
  if (sub.maxItems !== undefined && values.length > sub.maxItems) {
    throw ScimError.invalidValue(`"${label}" takes at most ${sub.maxItems} values; got ${values.length}`);
  }
  for (const item of values) if (typeof item === 'string') checkString(sub, item, label);
}

/** RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once." */
function checkSinglePrimary(items: readonly unknown[], label: string): void {
  const primaries = items.filter((item) => isRecord(item) && Object.hasOwn(item, 'primary') && item['primary'] === true);
  if (primaries.length > 1) throw ScimError.invalidValue(`"${label}" has ${primaries.length} values with primary true; at most one may be`);
}

/** Roster limits: `maxLength` in characters (code points, as PostgreSQL counts), no NUL, no lone surrogates. */
function checkString(attribute: AttributeDefinition, value: string, label: string): void {
  if (!isStorableText(value)) throw ScimError.invalidValue(`"${label}" contains U+0000 or an unpaired surrogate`);
  const max = attribute.maxLength;
  if (max !== undefined && value.length > max && [...value].length > max) {
    throw ScimError.invalidValue(`"${label}" is longer than ${max} characters`);
  }
  if (attribute.type === 'dateTime' && !XSD_DATE_TIME.test(value)) {
    throw ScimError.invalidValue(`"${label}" is dateTime; expected xsd:dateTime such as 2008-01-23T04:56:22Z`);
  }
  if (attribute.type === 'binary' && !BASE64.test(value)) throw ScimError.invalidValue(`"${label}" is binary; expected base64`);
}

/** RFC 7643 §2.2 "required": the attribute is missing, null or empty. */
export function missingRequired(label: string): ScimError {
  return ScimError.invalidValue(`"${label}" is required and must not be empty`);
}

/** RFC 7643 §2.5 assigned, and not blank: "Each User MUST include a non-empty userName value" (§4.1.1). */
export function isAssigned(value: unknown): boolean {
  return isPresent(value) && !(typeof value === 'string' && value.trim() === '');
}
