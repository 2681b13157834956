import { caseFold } from '../case-fold.js';
import { ScimError } from '../errors.js';
import { compareCodePoints } from '../query/value-keys.js';
import { type AttrPath, type CompareFilter, type CompareOp, type Filter, type ValuePathFilter, formatAttrPath, subPath } from './ast.js';
import type { AttributeInfo, AttributeResolver, ResolvedAttribute } from './attribute-resolver.js';

/**
 * The in-memory reference semantics of RFC 7644 §3.4.2.2 over SCIM JSON. The SQL compiler must
 * select exactly the resources this accepts, so the choices are spelled out here:
 * - Logic is two-valued: a comparison on a missing attribute is false, so `not (...)` of it is
 *   true, and `ne` is `not eq` (a missing attribute is "not equal").
 * - A multi-valued attribute matches when any value does; a complex attribute compared without
 *   a sub-attribute (`emails eq "x"`) compares its `value` sub-attribute.
 * - `eq null` is "not present" and `ne null` is "present"; `pr` wants a non-empty value: not
 *   null, "", [] or an object whose members are all empty.
 * - Strings with caseExact false compare after `.normalize('NFKC').toLowerCase()` on both
 *   sides; ordering is by code point (as SQLite's BINARY and PostgreSQL's "C" collations order
 *   UTF-8). dateTimes compare as instants.
 * - `returned: never` attributes (password) cannot be filtered on: that would leak them.
 * - Type errors (ordering a boolean, `co` on a number, a string against an integer, unknown
 *   attributes) are invalidFilter, raised before any resource is looked at, so the answer
 *   never depends on which rows happen to exist.
 */

type Resource = Record<string, unknown>;
type Predicate = (scope: Resource) => boolean;

interface Scope {
  readonly resolve: AttributeResolver;
  /** Inside `attr[...]`: the bracketed attribute, whose elements the inner paths address. */
  readonly element?: AttrPath;
}

interface Target {
  readonly label: string;
  readonly leaf: AttributeInfo;
  readonly read: (scope: Resource) => readonly unknown[];
}

/** RFC 7644 §3.4.2.2: whether one SCIM resource (core attributes on top, extensions under their URN) matches. */
export function matchesFilter(resource: Resource, filter: Filter, resolve: AttributeResolver): boolean {
  return compileMatcher(filter, resolve)(resource);
}

/** RFC 7644 §3.4.2.2: checks `filter` against the schema once and returns a predicate for many resources. */
export function compileMatcher(filter: Filter, resolve: AttributeResolver): (resource: Resource) => boolean {
  return compile(filter, { resolve });
}

function compile(filter: Filter, scope: Scope): Predicate {
  switch (filter.kind) {
    case 'and': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (x) => left(x) && right(x);
    }
    case 'or': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (x) => left(x) || right(x);
    }
    case 'not': {
      const inner = compile(filter.filter, scope);
      return (x) => !inner(x);
    }
    case 'present': {
      // RFC 7644 §3.4.2.2: "pr" matches only non-empty values, so [] and "" are absent.
      const { read } = target(filter.path, scope);
      return (x) => read(x).some(isNonEmpty);
    }
    case 'compare':
      return compileCompare(filter, scope);
    case 'valuePath':
      return compileValuePath(filter, scope);
  }
}

function compileValuePath(filter: ValuePathFilter, scope: Scope): Predicate {
  const label = formatAttrPath(filter.path);
  if (scope.element !== undefined) throw ScimError.invalidFilter(`value paths cannot nest: "${label}[...]"`);
  if (filter.path.sub !== undefined) throw ScimError.invalidFilter(`"[...]" must follow an attribute, not "${label}"`);
  const { leaf, read } = target(filter.path, scope);
  if (leaf.type !== 'complex') throw ScimError.invalidFilter(`"${label}" is not complex, so it takes no "[...]" filter`);
  if (leaf.name === 'meta' && filter.path.uri === undefined) throw ScimError.invalidFilter('"meta" takes no "[...]" filter; name its sub-attributes, e.g. meta.lastModified');
  const inner = compile(filter.filter, { resolve: scope.resolve, element: filter.path });
  // All of the bracket's conditions hold for one element (RFC 7644 §3.4.2.2 valuePath).
  return (x) => read(x).some((element) => isRecord(element) && inner(element));
}

function compileCompare(filter: CompareFilter, scope: Scope): Predicate {
  const { op, value } = filter;
  let subject = target(filter.path, scope);
  if (subject.leaf.type === 'complex') {
    // RFC 7644 §3.4.2.2: a complex attribute without a sub-attribute compares its "value".
    const valuePath = subPath(filter.path, 'value');
    if (filter.path.sub !== undefined || scope.element !== undefined || scope.resolve(valuePath) === undefined) {
      throw ScimError.invalidFilter(`"${subject.label}" is complex; compare one of its sub-attributes`);
    }
    subject = target(valuePath, scope);
  }
  const { read, leaf, label } = subject;
  if (value === null) {
    if (op === 'eq') return (x) => !read(x).some(isNonEmpty);
    if (op === 'ne') return (x) => read(x).some(isNonEmpty);
    throw ScimError.invalidFilter(`"${op}" cannot compare "${label}" with null`);
  }
  const test = compileTest(leaf, op === 'ne' ? 'eq' : op, value, label);
  return op === 'ne' ? (x) => !read(x).some(test) : (x) => read(x).some(test);
}

function target(path: AttrPath, scope: Scope): Target {
  const outer = scope.element;
  if (outer === undefined) {
    const resolved = scope.resolve(path);
    const label = formatAttrPath(path);
    if (resolved === undefined) throw ScimError.invalidFilter(`unknown attribute "${label}"`);
    if (resolved.attribute.returned === 'never' || resolved.subAttribute?.returned === 'never') throw notFilterable(label);
    if (isDerivedMeta(resolved)) throw ScimError.invalidFilter(`"${label}" cannot be filtered on: it is derived when the resource is served`);
    return { label, leaf: resolved.subAttribute ?? resolved.attribute, read: reader(resolved) };
  }
  const label = `${formatAttrPath(outer)}.${formatAttrPath(path)}`;
  if (path.uri !== undefined || path.sub !== undefined) {
    throw ScimError.invalidFilter(`inside "${outer.attr}[...]" name a sub-attribute, not "${formatAttrPath(path)}"`);
  }
  const sub = scope.resolve(subPath(outer, path.attr))?.subAttribute;
  if (sub === undefined) throw ScimError.invalidFilter(`unknown attribute "${label}"`);
  if (sub.returned === 'never') throw notFilterable(label);
  return { label, leaf: sub, read: (element) => list(member(element, sub.name)) };
}

function reader({ extension, attribute, subAttribute }: ResolvedAttribute): Target['read'] {
  return (resource) => {
    const container = extension === undefined ? resource : member(resource, extension);
    const values = list(member(container, attribute.name));
    return subAttribute === undefined ? values : values.flatMap((v) => list(member(v, subAttribute.name)));
  };
}

/**
 * meta.location and meta.version are built when a resource is served (from the public URL and
 * the row version), so they are not stored where a filter could find them; clients compare
 * versions with ETags (RFC 7644 §3.14).
 */
function isDerivedMeta(resolved: ResolvedAttribute): boolean {
  return resolved.extension === undefined && resolved.attribute.name === 'meta' && (resolved.subAttribute?.name === 'location' || resolved.subAttribute?.name === 'version');
}

function notFilterable(label: string): ScimError {
  return ScimError.invalidFilter(`"${label}" is never returned, so it cannot be filtered on`);
}

type Scalar = string | number | boolean;
type Test = (value: unknown) => boolean;

/**
 * One value against the filter's literal, for `op` other than `ne` (which is `not eq`). Also
 * used by the SQL compiler for values it knows without a query (meta.resourceType).
 */
export function compileTest(leaf: AttributeInfo, op: CompareOp, literal: Scalar, label: string): Test {
  const rejectOp = (why: string): never => {
    throw ScimError.invalidFilter(`"${op}" cannot be used on "${label}": ${why}`);
  };
  const want = (kind: string): never => {
    throw ScimError.invalidFilter(`"${label}" is ${leaf.type}; compare it with ${kind}, not ${JSON.stringify(literal)}`);
  };
  const isSubstringOp = op === 'co' || op === 'sw' || op === 'ew';
  switch (leaf.type) {
    case 'boolean':
    case 'binary':
      // RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary attributes is invalidFilter.
      if (op !== 'eq') rejectOp(`it is a ${leaf.type} attribute, which only supports eq, ne and pr`);
      if (leaf.type === 'boolean') {
        if (typeof literal !== 'boolean') want('true or false');
        return (v) => v === literal;
      }
      if (typeof literal !== 'string') want('a string');
      return textTest(leaf, op, String(literal));
    case 'integer':
    case 'decimal':
      if (isSubstringOp) rejectOp('it is a number');
      if (typeof literal !== 'number') want('a number');
      return (v) => typeof v === 'number' && order(op, v, Number(literal));
    case 'dateTime': {
      if (isSubstringOp) rejectOp('it is a dateTime');
      const instant = typeof literal === 'string' ? Date.parse(literal) : NaN;
      // Years past 9999 have no xsd:dateTime four-digit form (RFC 7643 §2.3.5) and would not order as text.
      if (Number.isNaN(instant) || !isFourDigitYear(instant)) want('a dateTime string such as "2024-01-31T12:00:00Z"');
      return (v) => typeof v === 'string' && order(op, Date.parse(v), instant);
    }
    case 'string':
    case 'reference':
      if (typeof literal !== 'string') want('a string');
      return textTest(leaf, op, String(literal));
    case 'complex':
      return rejectOp('it is complex; compare one of its sub-attributes');
  }
}

function isFourDigitYear(instant: number): boolean {
  const year = new Date(instant).getUTCFullYear();
  return year >= 0 && year <= 9999;
}

function textTest(leaf: AttributeInfo, op: CompareOp, literal: string): Test {
  // caseExact false (RFC 7643 §2.2): fold both sides the same way; NFKC also unifies full-width
  // and composed forms.
  const fold = leaf.caseExact ? (s: string) => s : caseFold;
  const wanted = fold(literal);
  return (v) => {
    if (typeof v !== 'string') return false;
    const actual = fold(v);
    if (op === 'co') return actual.includes(wanted);
    if (op === 'sw') return actual.startsWith(wanted);
    if (op === 'ew') return actual.endsWith(wanted);
    return order(op, compareCodePoints(actual, wanted), 0);
  };
}

function order(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return a === b;
  }
}

function isRecord(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON member by name, case-insensitively (RFC 7643 §2.1). */
function member(value: unknown, name: string): unknown {
  if (!isRecord(value)) return undefined;
  if (Object.hasOwn(value, name)) return value[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(value).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : value[key];
}

function list(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isNonEmpty);
  if (typeof value === 'object') return Object.values(value).some(isNonEmpty);
  return true;
}
