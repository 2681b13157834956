import type { AttributeDefinition, AttributeType } from './characteristics.js';

/** Roster's longest accepted string when an attribute names no other limit. */
export const DEFAULT_MAX_LENGTH = 1024;
/** Names people type and read: userName, displayName, role names. */
export const NAME_MAX_LENGTH = 256;
/** Cleartext password as sent by the client, before hashing. */
export const PASSWORD_MAX_LENGTH = 256;
/** URLs (profileUrl, photos, $ref); 2048 is what browsers and proxies reliably carry. */
export const URL_MAX_LENGTH = 2048;
/** Base64 DER certificate; a 4096-bit RSA certificate with a long chain of extensions fits. */
export const CERTIFICATE_MAX_LENGTH = 16384;
/** Most values of a writable multi-valued attribute (emails, roles, ...). */
export const DEFAULT_MAX_ITEMS = 100;

/**
 * Characteristics a builder caller may change. Setting `maxLength` or `maxItems` to
 * `undefined` removes the Roster limit (e.g. Group `members`).
 */
export type AttributeOverrides = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description' | 'subAttributes'>>;

/** The canonical `type` values of a multi-valued attribute (RFC 7643 §2.4); `[]` for none. */
export type CanonicalTypes = readonly string[];

// RFC 7643 §2.2: defaults for a characteristic the definition leaves out.
const RFC_DEFAULTS = {
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
} as const satisfies Partial<AttributeDefinition>;

function build(
  name: string,
  type: AttributeType,
  description: string,
  defaults: AttributeOverrides,
  overrides: AttributeOverrides,
  subAttributes?: readonly AttributeDefinition[],
): AttributeDefinition {
  const merged: AttributeDefinition = {
    name,
    type,
    description,
    ...RFC_DEFAULTS,
    ...defaults,
    ...overrides,
    ...(subAttributes ? { subAttributes } : {}),
  };
  // Drop keys explicitly set to undefined so discovery JSON and deep equality stay clean.
  return Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as unknown as AttributeDefinition;
}

/** A simple `string` attribute (RFC 7643 §2.3.1) limited to DEFAULT_MAX_LENGTH. */
export function stringAttr(name: string, description: string, overrides: AttributeOverrides = {}): AttributeDefinition {
  return build(name, 'string', description, { maxLength: DEFAULT_MAX_LENGTH }, overrides);
}

/** A `boolean` attribute (RFC 7643 §2.3.2). */
export function booleanAttr(name: string, description: string, overrides: AttributeOverrides = {}): AttributeDefinition {
  return build(name, 'boolean', description, {}, overrides);
}

/** A `dateTime` attribute (RFC 7643 §2.3.5, xsd:dateTime). */
export function dateTimeAttr(name: string, description: string, overrides: AttributeOverrides = {}): AttributeDefinition {
  return build(name, 'dateTime', description, {}, overrides);
}

/** A `binary` attribute (RFC 7643 §2.3.6): base64, and "a binary is case exact". */
export function binaryAttr(name: string, description: string, overrides: AttributeOverrides = {}): AttributeDefinition {
  return build(name, 'binary', description, { caseExact: true, maxLength: DEFAULT_MAX_LENGTH }, overrides);
}

/** A `reference` attribute (RFC 7643 §2.3.7) to the given referenceTypes, limited to URL_MAX_LENGTH. */
export function referenceAttr(
  name: string,
  description: string,
  referenceTypes: readonly string[],
  overrides: AttributeOverrides = {},
): AttributeDefinition {
  return build(name, 'reference', description, { referenceTypes, maxLength: URL_MAX_LENGTH }, overrides);
}

/** A single-valued `complex` attribute (RFC 7643 §2.3.8). */
export function complexAttr(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  overrides: AttributeOverrides = {},
): AttributeDefinition {
  return build(name, 'complex', description, {}, overrides, subAttributes);
}

/** A multi-valued `complex` attribute (RFC 7643 §2.4), limited to DEFAULT_MAX_ITEMS values. */
export function multiValuedComplexAttr(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  overrides: AttributeOverrides = {},
): AttributeDefinition {
  return build(name, 'complex', description, { multiValued: true, maxItems: DEFAULT_MAX_ITEMS }, overrides, subAttributes);
}

/**
 * A multi-valued attribute with the RFC 7643 §2.4 default sub-attributes `value`, `display`,
 * `type` and `primary`, as the User schema uses for emails, phoneNumbers, roles and the like.
 */
export function typedValuesAttr(
  name: string,
  description: string,
  value: AttributeDefinition,
  canonicalTypes: CanonicalTypes,
  overrides: AttributeOverrides = {},
): AttributeDefinition {
  const examples = canonicalTypes.length ? `, e.g., '${canonicalTypes.join("', '")}'` : '';
  return multiValuedComplexAttr(
    name,
    description,
    [
      value,
      stringAttr('display', 'A human-readable name, primarily used for display purposes.'),
      stringAttr(
        'type',
        `A label indicating the attribute's function${examples}.`,
        canonicalTypes.length ? { canonicalValues: canonicalTypes } : {},
      ),
      booleanAttr('primary', "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  The primary attribute value 'true' MUST appear no more than once."),
    ],
    overrides,
  );
}
