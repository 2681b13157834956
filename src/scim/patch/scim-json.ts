/**
 * Plain-JSON helpers for SCIM resources (RFC 7643 §2). Member names match case-insensitively
 * (RFC 7643 §2.1), and writes go through `setMember`, which defines an own data property, so a
 * name can never reach an object prototype even if a caller passes `__proto__`.
 */

/** A SCIM resource or complex value as JSON. */
export type ScimObject = Record<string, unknown>;

/** A JSON object (RFC 7643 §2: complex values and resources), not an array or null. */
export function isRecord(value: unknown): value is ScimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own key of `object` that spells `name` in any case (RFC 7643 §2.1). */
export function findKey(object: ScimObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const wanted = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === wanted);
}

/** A member by name, case-insensitively (RFC 7643 §2.1). */
export function getMember(object: unknown, name: string): unknown {
  if (!isRecord(object)) return undefined;
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** Sets `name` (a schema-canonical spelling), dropping any other-case spelling of it. */
export function setMember(object: ScimObject, name: string, value: unknown): void {
  deleteMember(object, name);
  Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
}

/** Removes every spelling of `name` (RFC 7643 §2.1). */
export function deleteMember(object: ScimObject, name: string): void {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === wanted) delete object[key];
  }
}

/** RFC 7643 §2.5 "unassigned": null, "", [] and objects whose members are all unassigned. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value !== 'object') return true;
  // Loops rather than some(Object.values(…)): every value of every answer passes here (projection),
  // and this builds no array per object.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (isPresent(value[i])) return true;
    return false;
  }
  const record = value as ScimObject;
  for (const key in record) if (Object.hasOwn(record, key) && isPresent(record[key])) return true;
  return false;
}

/** JSON value equality, used for RFC 7643 §7 immutable checks. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Whether every member of `part` has an equal counterpart in `whole` (used to spot duplicate values). */
export function contains(whole: unknown, part: unknown): boolean {
  if (!isRecord(whole) || !isRecord(part)) return deepEqual(whole, part);
  return Object.entries(part).every(([key, value]) => deepEqual(getMember(whole, key), value));
}

/** The values of a possibly multi-valued attribute (RFC 7643 §2.4) as a fresh array. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value];
}
