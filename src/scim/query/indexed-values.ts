import { getMember, isPresent, isRecord, type ScimObject } from '../patch/scim-json.js';
import type { AttributeDefinition } from '../schemas/characteristics.js';
import { type ResourceContext, topLevelAttributes } from '../validation/resource-context.js';
import { textKeyOf } from './value-keys.js';

/**
 * One row of a resource's filter index: what the SQL compiler (src/database/query) looks values
 * up in. Every attribute value becomes a row keyed by
 * - `attr`: the attribute's name as the schema spells it, lower-cased, with `urn:…:` before it
 *   for extension attributes;
 * - `sub`: the sub-attribute, lower-cased; '' for a simple attribute; '*' for the marker row each
 *   element of a complex attribute gets, so `emails[not (type eq "work")]` can find elements
 *   that have no `type` at all;
 * - `element`: which element of a multi-valued attribute the row belongs to. The primary element
 *   (else the first) is element 0, which is what sortBy reads (RFC 7644 §3.4.2.3).
 * Empty values ("" and null) get no row, so a row's existence is RFC 7644 "pr".
 */
export interface IndexedValue {
  readonly attr: string;
  readonly sub: string;
  readonly element: number;
  /** The text key (value-keys.ts); null for numbers and markers. */
  readonly text: string | null;
  /** Numbers; for a marker row 1 when the element holds any value, else 0. */
  readonly num: number | null;
}

export const MARKER_SUB = '*';

/** Attributes kept in columns or not filterable at all, so they get no rows. */
const NOT_INDEXED = new Set(['meta', 'schemas']);

/** The index rows of one SCIM resource as served (core attributes on top, extensions under their URN). */
export function indexedValuesOf(resource: ScimObject, context: ResourceContext): IndexedValue[] {
  const rows: IndexedValue[] = [];
  for (const attribute of topLevelAttributes(context)) {
    if (NOT_INDEXED.has(attribute.name)) continue;
    indexAttribute(rows, indexedAttrName(attribute), attribute, getMember(resource, attribute.name));
  }
  for (const { schema } of context.extensions) {
    const extension = getMember(resource, schema.id);
    if (!isRecord(extension)) continue;
    for (const attribute of schema.attributes) {
      indexAttribute(rows, indexedAttrName(attribute, schema.id), attribute, getMember(extension, attribute.name));
    }
  }
  return rows;
}

/** The qualified, lower-cased name an attribute's rows carry. */
export function indexedAttrName(attribute: { readonly name: string }, extension?: string): string {
  return (extension === undefined ? attribute.name : `${extension}:${attribute.name}`).toLowerCase();
}

function indexAttribute(rows: IndexedValue[], attr: string, attribute: AttributeDefinition, value: unknown): void {
  if (attribute.returned === 'never' || value === undefined || value === null) return;
  const elements = attribute.multiValued && Array.isArray(value) ? primaryFirst(value) : [value];
  elements.forEach((element, index) => {
    if (attribute.type !== 'complex') {
      pushLeaf(rows, attr, '', index, attribute, element);
      return;
    }
    if (!isRecord(element)) return;
    rows.push({ attr, sub: MARKER_SUB, element: index, text: null, num: isPresent(element) ? 1 : 0 });
    for (const sub of attribute.subAttributes ?? []) {
      if (sub.returned === 'never') continue;
      const subValue = getMember(element, sub.name);
      const subValues = Array.isArray(subValue) ? subValue : [subValue];
      for (const one of subValues) pushLeaf(rows, attr, sub.name.toLowerCase(), index, sub, one);
    }
  });
}

function pushLeaf(rows: IndexedValue[], attr: string, sub: string, element: number, attribute: AttributeDefinition, value: unknown): void {
  if (typeof value === 'number') {
    if (attribute.type === 'integer' || attribute.type === 'decimal') rows.push({ attr, sub, element, text: null, num: value });
    return;
  }
  if ((typeof value !== 'string' || value === '') && typeof value !== 'boolean') return;
  const text = textKeyOf(attribute, value);
  if (text !== undefined) rows.push({ attr, sub, element, text, num: null });
}

/** RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, so that element goes first. */
function primaryFirst(values: readonly unknown[]): readonly unknown[] {
  const primary = values.findIndex((v) => isRecord(v) && v.primary === true);
  if (primary <= 0) return values;
  return [values[primary], ...values.slice(0, primary), ...values.slice(primary + 1)];
}

