import { ScimError } from '../../scim/errors.js';
import type { AttrPath, CompareFilter, Filter, ValuePathFilter } from '../../scim/filter/ast.js';
import { formatAttrPath, subPath, valuePath } from '../../scim/filter/ast.js';
import type { AttributeInfo, AttributeResolver } from '../../scim/filter/attribute-resolver.js';
import { compileMatcher, compileTest } from '../../scim/filter/evaluate.js';
import { indexedAttrName, MARKER_SUB } from '../../scim/query/indexed-values.js';
import { keyCondition, type RowCondition, SQL_OPS } from './key-conditions.js';
import type { RelationAttribute, ResourceTable, SqlParams } from './resource-table.js';
import { compareSelectivity, flattenAnd } from './selectivity.js';
import { unindexedCheck } from './unindexed-check.js';

/**
 * RFC 7644 §3.4.2.2 filters compiled to one parameterised SQL condition over a resource table,
 * the same text on SQLite and PostgreSQL. The semantics are those of the in-memory evaluator
 * (src/scim/filter/evaluate.ts), which also checks the filter first, so both refuse the same
 * filters with the same invalidFilter. How it maps:
 * - every attribute value is a row of the resource's values table (indexed-values.ts); a
 *   comparison is "some row of that attribute satisfies it", `ne` and `not` are NOT of that,
 *   so rows lacking the attribute are kept (two-valued logic; no NULL comparisons anywhere);
 * - `attr[filter]` finds one element (one `element` number) meeting every condition inside;
 * - meta.created / meta.lastModified are columns; meta.resourceType is known without a query.
 * Plans: a selective condition is written `id IN (SELECT resource_id … )`, which both engines
 * answer from the (tenant, attr, sub, key) index; the other conjuncts of an `and` are
 * correlated EXISTS probes on the (resource, attr, sub, element) index, so `userName eq "x" and
 * active eq true` costs one lookup, not a walk over every active user.
 */
export function filterToSql(filter: Filter, resolve: AttributeResolver, table: ResourceTable, params: SqlParams, tenant: string): CompiledFilter {
  compileMatcher(filter, resolve);
  const compiler = new FilterCompiler(resolve, table, params, tenant);
  return { sql: compiler.resource(filter, 'in'), isKeyed: compiler.isKeyed(filter) };
}

export interface CompiledFilter {
  /** A condition over the resource table's alias. */
  readonly sql: string;
  /**
   * Whether every match is found by an equality on a key (a value lookup or a link row), as
   * `id IN (SELECT …)` at the top of the condition: the list then goes in by that lookup and
   * only checks the resource's tenant (resource-lister.ts).
   */
  readonly isKeyed: boolean;
}

/**
 * `attr[filter]` over one link row aliased `alias` (a row of `group_members`, say), for
 * changes such as PATCH remove `members[value eq "…"]` that run as one SQL statement.
 */
export function relationFilterToSql(
  attr: string,
  filter: Filter,
  resolve: AttributeResolver,
  table: ResourceTable,
  params: SqlParams,
  alias: string,
): string {
  const path = valuePath(attr, filter);
  compileMatcher(path, resolve);
  const relation = table.relations.find((r) => r.attr === attr.toLowerCase());
  if (relation === undefined) throw new Error(`${attr} is not a relation of ${table.table}`);
  return new FilterCompiler(resolve, table, params, ':unused').relationElement(relation, path, filter, alias);
}

/** `in`: may drive the query from the values index; `exists`: checked per candidate row. */
type Mode = 'in' | 'exists';

type Target =
  | { readonly kind: 'values'; readonly attr: string; readonly sub: string; readonly leaf: AttributeInfo; readonly label: string }
  | { readonly kind: 'column'; readonly column: string; readonly leaf: AttributeInfo; readonly label: string }
  | { readonly kind: 'constant'; readonly value: string; readonly leaf: AttributeInfo; readonly label: string }
  | { readonly kind: 'relation'; readonly relation: RelationAttribute; readonly leaf: AttributeInfo; readonly label: string }
  | { readonly kind: 'always' };


class FilterCompiler {
  private readonly id: string;

  constructor(
    private readonly resolve: AttributeResolver,
    private readonly table: ResourceTable,
    private readonly params: SqlParams,
    /** The bound parameter (`:name`) holding the tenant id. */
    private readonly tenant: string,
  ) {
    this.id = `${table.alias}.id`;
  }

  resource(filter: Filter, mode: Mode): string {
    switch (filter.kind) {
      case 'and': {
        const conjuncts = flattenAnd(filter);
        const scores = conjuncts.map((c) => this.selectivity(c));
        const driver = mode === 'in' ? scores.indexOf(Math.max(...scores)) : -1;
        return `(${conjuncts.map((c, i) => this.resource(c, i === driver ? 'in' : 'exists')).join(' AND ')})`;
      }
      case 'or':
        return `(${this.resource(filter.left, mode)} OR ${this.resource(filter.right, mode)})`;
      case 'not':
        return `NOT (${this.resource(filter.filter, 'exists')})`;
      case 'present':
        return this.present(this.target(filter.path), mode);
      case 'compare':
        return this.compare(filter, mode);
      case 'valuePath':
        return this.valuePath(filter, mode);
    }
  }

  /** Whether resource(filter, 'in') is driven by an equality on a key (the top conjunct scoring 4 is always an `IN`). */
  isKeyed(filter: Filter): boolean {
    if (filter.kind === 'and') {
      const conjuncts = flattenAnd(filter);
      const scores = conjuncts.map((c) => this.selectivity(c));
      const driver = conjuncts[scores.indexOf(Math.max(...scores))];
      return driver !== undefined && this.isKeyed(driver);
    }
    return (filter.kind === 'compare' || filter.kind === 'valuePath') && this.selectivity(filter) >= 4;
  }

  /** Rough selectivity, used only to choose which conjunct drives the plan: 0 means "scan anyway". */
  private selectivity(filter: Filter): number {
    switch (filter.kind) {
      case 'and':
        return Math.max(...flattenAnd(filter).map((c) => this.selectivity(c)));
      case 'or':
        return Math.min(this.selectivity(filter.left), this.selectivity(filter.right));
      case 'not':
        return 0;
      case 'present':
        return 1;
      case 'compare':
        return compareSelectivity(filter, this.target(filter.path));
      case 'valuePath': {
        const anchor = this.anchorOf(filter);
        return anchor === undefined ? 0 : compareSelectivity(anchor, this.anchorTarget(filter, anchor));
      }
    }
  }

  private compare(filter: CompareFilter, mode: Mode): string {
    const target = this.target(filter.path);
    if (filter.value === null) {
      // eq null is "not present", ne null is "present" (evaluate.ts).
      return filter.op === 'eq' ? `NOT (${this.present(target, 'exists')})` : this.present(target, mode);
    }
    if (filter.op === 'ne') return `NOT (${this.compare({ ...filter, op: 'eq' }, 'exists')})`;
    switch (target.kind) {
      case 'always':
        throw ScimError.invalidFilter(`"${formatAttrPath(filter.path)}" cannot be compared`);
      case 'constant':
        return compileTest(target.leaf, filter.op, filter.value, target.label)(target.value) ? '1 = 1' : '1 = 0';
      case 'column':
        return this.condition(target.leaf, filter.op, filter.value)(`${this.table.alias}.${target.column}`);
      case 'relation':
        return this.related(target.relation, this.relationCondition(target.relation, target.leaf, filter.op, filter.value), this.modeFor(filter, mode));
      case 'values':
        return this.rows(target.attr, target.sub, this.valueCondition(target.leaf, filter.op, filter.value), this.modeFor(filter, mode));
    }
  }

  private present(target: Target, mode: Mode): string {
    switch (target.kind) {
      case 'always':
      case 'column':
      case 'constant':
        return '1 = 1';
      case 'relation':
        return this.related(target.relation, undefined, mode);
      case 'values':
        return target.leaf.type === 'complex'
          ? this.rows(target.attr, MARKER_SUB, (v) => `${v}.num_value = 1`, mode)
          : this.rows(target.attr, target.sub, undefined, mode);
    }
  }

  /** `attr[filter]`: rows of one element; driven by the most selective positive condition inside, else by the element markers. */
  private valuePath(filter: ValuePathFilter, mode: Mode): string {
    const outer = this.target(filter.path);
    if (outer.kind === 'relation') return this.related(outer.relation, (l) => this.relationElement(outer.relation, filter, filter.filter, l), mode);
    if (outer.kind !== 'values') throw ScimError.invalidFilter(`"${formatAttrPath(filter.path)}" takes no "[...]" filter`);
    const a = this.params.alias();
    const anchor = this.anchorOf(filter);
    let driver = `${a}.sub = ${this.params.add(MARKER_SUB)}`;
    if (anchor !== undefined) {
      const anchored = this.elementTarget(filter, anchor.path);
      driver = `${a}.sub = ${this.params.add(anchored.sub)} AND ${this.valueCondition(anchored.leaf, anchor.op, anchor.value as string | number | boolean)(a)}`;
    }
    const where = `${a}.attr = ${this.params.add(outer.attr)} AND ${driver} AND ${this.element(filter, filter.filter, a, anchor)}`;
    if (mode === 'in' && anchor !== undefined) {
      return `${this.id} IN (SELECT ${a}.resource_id FROM ${this.table.valuesTable} ${a} WHERE ${a}.tenant_id = ${this.tenant} AND ${where})`;
    }
    return `EXISTS (SELECT 1 FROM ${this.table.valuesTable} ${a} WHERE ${a}.resource_id = ${this.id} AND ${this.ownedByTenant(a)} AND ${where})`;
  }

  /**
   * The inside of `attr[...]`, over the element of the values row aliased `a`. The anchor, when
   * there is one, is `a` itself (it drove the row), so it is not looked up a second time.
   */
  private element(outer: ValuePathFilter, filter: Filter, a: string, anchor?: CompareFilter): string {
    if (filter === anchor) return '1 = 1';
    switch (filter.kind) {
      case 'and':
        return `(${this.element(outer, filter.left, a, anchor)} AND ${this.element(outer, filter.right, a, anchor)})`;
      case 'or':
        return `(${this.element(outer, filter.left, a)} OR ${this.element(outer, filter.right, a)})`;
      case 'not':
        return `NOT (${this.element(outer, filter.filter, a)})`;
      case 'valuePath':
        throw ScimError.invalidFilter('value paths cannot nest');
      case 'present':
        return this.elementRow(a, this.elementTarget(outer, filter.path).sub);
      case 'compare': {
        const target = this.elementTarget(outer, filter.path);
        if (filter.value === null) {
          const present = this.elementRow(a, target.sub);
          return filter.op === 'eq' ? `NOT (${present})` : present;
        }
        if (filter.op === 'ne') return `NOT (${this.elementRow(a, target.sub, this.valueCondition(target.leaf, 'eq', filter.value))})`;
        return this.elementRow(a, target.sub, this.valueCondition(target.leaf, filter.op, filter.value));
      }
    }
  }

  private elementRow(a: string, sub: string, condition?: RowCondition): string {
    const b = this.params.alias();
    const where = [
      `${b}.resource_id = ${a}.resource_id`,
      `${b}.attr = ${a}.attr`,
      `${b}.element = ${a}.element`,
      `${b}.sub = ${this.params.add(sub)}`,
      this.ownedByTenant(b),
      ...(condition === undefined ? [] : [condition(b)]),
    ];
    return `EXISTS (SELECT 1 FROM ${this.table.valuesTable} ${b} WHERE ${where.join(' AND ')})`;
  }

  /** Link rows of the resource (members of a group, groups of a user), optionally meeting a condition. */
  private related(relation: RelationAttribute, condition: RowCondition | undefined, mode: Mode): string {
    const l = this.params.alias();
    const where = [`${l}.tenant_id = ${this.tenant}`, ...(condition === undefined ? [] : [condition(l)])].join(' AND ');
    if (mode === 'in') return `${this.id} IN (SELECT ${l}.${relation.ownerColumn} FROM ${relation.table} ${l} WHERE ${where})`;
    return `EXISTS (SELECT 1 FROM ${relation.table} ${l} WHERE ${l}.${relation.ownerColumn} = ${this.id} AND ${where})`;
  }

  private relationCondition(relation: RelationAttribute, leaf: AttributeInfo, op: CompareFilter['op'], value: string | number | boolean): RowCondition {
    const test = this.condition(leaf, op, value);
    return (l) => test(`${l}.${relation.valueColumn}`);
  }

  /** The inside of `members[...]`: only `value` is stored, so only `value` can be compared. */
  relationElement(relation: RelationAttribute, outer: ValuePathFilter, filter: Filter, l: string): string {
    switch (filter.kind) {
      case 'and':
        return `(${this.relationElement(relation, outer, filter.left, l)} AND ${this.relationElement(relation, outer, filter.right, l)})`;
      case 'or':
        return `(${this.relationElement(relation, outer, filter.left, l)} OR ${this.relationElement(relation, outer, filter.right, l)})`;
      case 'not':
        return `NOT (${this.relationElement(relation, outer, filter.filter, l)})`;
      case 'valuePath':
        throw ScimError.invalidFilter('value paths cannot nest');
      case 'present':
      case 'compare': {
        const { sub, leaf } = this.elementTarget(outer, filter.path);
        if (sub !== 'value') throw ScimError.invalidFilter(`"${formatAttrPath(outer.path)}.${filter.path.attr}" cannot be filtered on; filter on "${formatAttrPath(outer.path)}.value"`);
        if (filter.kind === 'present' || filter.value === null) return filter.kind === 'compare' && filter.op === 'eq' ? '1 = 0' : '1 = 1';
        if (filter.op === 'ne') return `NOT (${this.relationCondition(relation, leaf, 'eq', filter.value)(l)})`;
        return this.relationCondition(relation, leaf, filter.op, filter.value)(l);
      }
    }
  }

  /** Rows of one attribute (and sub-attribute) of the resource, optionally meeting a condition. */
  private rows(attr: string, sub: string, condition: RowCondition | undefined, mode: Mode): string {
    const v = this.params.alias();
    const where = [`${v}.attr = ${this.params.add(attr)}`, `${v}.sub = ${this.params.add(sub)}`, ...(condition === undefined ? [] : [condition(v)])].join(' AND ');
    if (mode === 'in') return `${this.id} IN (SELECT ${v}.resource_id FROM ${this.table.valuesTable} ${v} WHERE ${v}.tenant_id = ${this.tenant} AND ${where})`;
    return `EXISTS (SELECT 1 FROM ${this.table.valuesTable} ${v} WHERE ${v}.resource_id = ${this.id} AND ${this.ownedByTenant(v)} AND ${where})`;
  }

  /**
   * The tenant of a values row found by its resource: a probe goes in by the resource id alone
   * (the resource index leads with it), since a tenant test PostgreSQL could index would, without
   * statistics, look as cheap and walk the tenant's lookup index instead (unindexed-check.ts).
   */
  private ownedByTenant(alias: string): string {
    return unindexedCheck(`${alias}.tenant_id = ${this.tenant}`);
  }

  /** Only conditions an index answers drive the plan; the rest are probed per candidate. */
  private modeFor(filter: CompareFilter, mode: Mode): Mode {
    return mode === 'in' && compareSelectivity(filter, this.target(filter.path)) > 0 ? 'in' : 'exists';
  }

  private valueCondition(leaf: AttributeInfo, op: CompareFilter['op'], value: string | number | boolean): RowCondition {
    if (leaf.type === 'integer' || leaf.type === 'decimal') return (v) => `${v}.num_value ${SQL_OPS[op]} ${this.params.add(value)}`;
    return this.condition(leaf, op, value, true);
  }

  /** A comparison of a text key with the literal's key; `indexed` says the operand is a values row. */
  private condition(leaf: AttributeInfo, op: CompareFilter['op'], value: string | number | boolean, indexed = false): RowCondition {
    return keyCondition(this.params, leaf, op, value, indexed);
  }

  /** Where a top-level path's values are (evaluate.ts has already refused what is not filterable). */
  private target(path: AttrPath): Target {
    const resolved = this.resolve(path);
    const label = formatAttrPath(path);
    if (resolved === undefined) throw ScimError.invalidFilter(`unknown attribute "${label}"`);
    const { extension, attribute } = resolved;
    let sub = resolved.subAttribute;
    if (extension === undefined && attribute.name === 'meta') return this.metaTarget(sub, label);
    const relation = this.table.relations.find((r) => r.attr === indexedAttrName(attribute, extension));
    if (relation !== undefined) {
      const value = sub ?? this.resolve(subPath(path, 'value'))?.subAttribute;
      if (value === undefined || value.name !== 'value') {
        throw ScimError.invalidFilter(`"${label}" cannot be filtered on; filter on "${attribute.name}.value"`);
      }
      return { kind: 'relation', relation, leaf: value, label };
    }
    if (sub === undefined && attribute.type === 'complex') {
      // RFC 7644 §3.4.2.2: a complex attribute compared as a whole compares its "value"; `pr` asks for any value.
      const value = this.resolve(subPath(path, 'value'))?.subAttribute;
      if (value === undefined) return { kind: 'values', attr: indexedAttrName(attribute, extension), sub: MARKER_SUB, leaf: attribute, label };
      sub = value;
    }
    return {
      kind: 'values',
      attr: indexedAttrName(attribute, extension),
      sub: sub === undefined ? '' : sub.name.toLowerCase(),
      leaf: sub ?? attribute,
      label,
    };
  }

  private metaTarget(sub: AttributeInfo | undefined, label: string): Target {
    switch (sub?.name) {
      case undefined:
        return { kind: 'always' };
      case 'created':
        return { kind: 'column', column: this.table.createdColumn, leaf: sub, label };
      case 'lastModified':
        return { kind: 'column', column: this.table.lastModifiedColumn, leaf: sub, label };
      case 'resourceType':
        return { kind: 'constant', value: this.table.resourceType, leaf: sub, label };
      default:
        // meta.location and meta.version are derived when a resource is served; clients use ETags instead.
        throw ScimError.invalidFilter(`"${label}" cannot be filtered on`);
    }
  }

  private elementTarget(outer: ValuePathFilter, path: AttrPath): { readonly sub: string; readonly leaf: AttributeInfo } {
    const sub = this.resolve(subPath(outer.path, path.attr))?.subAttribute;
    if (sub === undefined) throw ScimError.invalidFilter(`unknown attribute "${formatAttrPath(outer.path)}.${path.attr}"`);
    return { sub: sub.name.toLowerCase(), leaf: sub };
  }

  private anchorTarget(filter: ValuePathFilter, conjunct: CompareFilter): Target {
    return { kind: 'values', attr: '', label: '', ...this.elementTarget(filter, conjunct.path) };
  }

  /** The condition inside `attr[...]` that every matching element must meet and an index can find, if any. */
  private anchorOf(filter: ValuePathFilter): CompareFilter | undefined {
    let best: CompareFilter | undefined;
    let bestScore = 0;
    for (const conjunct of flattenAnd(filter.filter)) {
      if (conjunct.kind !== 'compare') continue;
      const score = compareSelectivity(conjunct, this.anchorTarget(filter, conjunct));
      if (score > bestScore) {
        best = conjunct;
        bestScore = score;
      }
    }
    return best;
  }
}
