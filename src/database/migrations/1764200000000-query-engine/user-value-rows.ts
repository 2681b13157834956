import { type FrozenAttribute, USER_ATTRIBUTES, USER_EXTENSIONS } from './user-attributes.js';

/**
 * FROZEN COPY — never edit, never import from live code. The `user_values` rows of one stored
 * user exactly as src/scim/query/indexed-values.ts, value-keys.ts, case-fold.ts and
 * src/database/query/indexed-values-store.ts produced them when migration 1764200000000 was
 * written, reduced to what the User attributes of that time used. A later change to the index
 * format ships its own migration that rewrites the rows; this one keeps producing what its
 * table was designed for. user-value-rows.spec.ts checks it against the live code of its time.
 */
export interface UserValueRow {
  readonly attr: string;
  /** '' for a simple attribute; '*' for the marker row each element of a complex attribute gets. */
  readonly sub: string;
  /** The primary element (else the first) is 0 (RFC 7644 §3.4.2.3). */
  readonly element: number;
  readonly text_key: string | null;
  readonly key_prefix: string | null;
  /** Only marker rows have one: 1 when the element holds any value, else 0. */
  readonly num_value: number | null;
}

type Json = Record<string, unknown>;

const MARKER_SUB = '*';
// PostgreSQL refuses btree entries over ~2.7 kB, so the index holds this many code points.
const KEY_PREFIX_LENGTH = 200;

/** The rows of a user whose stored document (`users.data`, without id) is `data`. */
export function userValueRows(data: Json, id: string): UserValueRow[] {
  const user: Json = { ...data, id };
  const rows: UserValueRow[] = [];
  for (const attribute of USER_ATTRIBUTES) indexAttribute(rows, attribute.name.toLowerCase(), attribute, member(user, attribute.name));
  for (const { urn, attributes } of USER_EXTENSIONS) {
    const extension = member(user, urn);
    if (!isObject(extension)) continue;
    for (const attribute of attributes) indexAttribute(rows, `${urn}:${attribute.name}`.toLowerCase(), attribute, member(extension, attribute.name));
  }
  return rows;
}

function indexAttribute(rows: UserValueRow[], attr: string, attribute: FrozenAttribute, value: unknown): void {
  if (value === undefined || value === null) return;
  const elements = attribute.multiValued && Array.isArray(value) ? primaryFirst(value) : [value];
  elements.forEach((element, index) => {
    if (attribute.type !== 'complex') return pushLeaf(rows, attr, '', index, attribute, element);
    if (!isObject(element)) return;
    rows.push({ attr, sub: MARKER_SUB, element: index, text_key: null, key_prefix: null, num_value: isPresent(element) ? 1 : 0 });
    for (const sub of attribute.subAttributes ?? []) {
      const subValue = member(element, sub.name);
      for (const one of Array.isArray(subValue) ? subValue : [subValue]) pushLeaf(rows, attr, sub.name.toLowerCase(), index, sub, one);
    }
  });
}

function pushLeaf(rows: UserValueRow[], attr: string, sub: string, element: number, attribute: FrozenAttribute, value: unknown): void {
  const key = textKeyOf(attribute, value);
  if (key !== undefined) rows.push({ attr, sub, element, text_key: key, key_prefix: keyPrefixOf(key), num_value: null });
}

// RFC 7643 §2.2: values that are not caseExact compare folded (NFKC, then lower case).
// Empty strings get no row, so a row's existence is RFC 7644 "pr"; other types get none.
function textKeyOf(attribute: FrozenAttribute, value: unknown): string | undefined {
  if (typeof value === 'boolean') return attribute.type === 'boolean' ? String(value) : undefined;
  if (typeof value !== 'string' || value === '' || attribute.type !== 'string') return undefined;
  return attribute.caseExact ? value : value.normalize('NFKC').toLowerCase();
}

// Never splits a surrogate pair, which PostgreSQL would refuse.
function keyPrefixOf(key: string): string {
  return key.length <= KEY_PREFIX_LENGTH ? key : Array.from(key).slice(0, KEY_PREFIX_LENGTH).join('');
}

function primaryFirst(values: readonly unknown[]): readonly unknown[] {
  const primary = values.findIndex((v) => isObject(v) && v.primary === true);
  if (primary <= 0) return values;
  return [values[primary], ...values.slice(0, primary), ...values.slice(primary + 1)];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// RFC 7643 §2.1: member names match in any case; an exact spelling wins.
function member(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

// RFC 7643 §2.5: null, "", [] and objects of such values are unassigned.
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isObject(value)) return Object.values(value).some(isPresent);
  return true;
}
