import type { CompareFilter, Filter } from '../../scim/filter/ast.js';
import type { AttributeInfo } from '../../scim/filter/attribute-resolver.js';

/** Where a compared value lives, as far as choosing a plan cares. */
export interface StoredAs {
  readonly kind: 'values' | 'column' | 'relation' | 'constant' | 'always';
  readonly leaf?: AttributeInfo;
}

export function flattenAnd(filter: Filter): Filter[] {
  return filter.kind === 'and' ? [...flattenAnd(filter.left), ...flattenAnd(filter.right)] : [filter];
}

/**
 * How well an index narrows a comparison, used only to choose which conjunct drives the plan:
 * equality on a value with many distinct values is best; attributes with canonical values
 * (type) or booleans (primary, active) narrow little; `co`, `ew`, `ne` and null tests need a scan (0).
 */
export function compareSelectivity(filter: CompareFilter, target: StoredAs): number {
  if (filter.value === null || filter.op === 'ne' || filter.op === 'co' || filter.op === 'ew') return 0;
  if (target.kind === 'column') return filter.op === 'eq' ? 3 : 2;
  if (target.kind === 'relation') return filter.op === 'eq' ? 4 : 0;
  if (target.kind !== 'values' || target.leaf === undefined) return 0;
  const lowCardinality = target.leaf.type === 'boolean' || (target.leaf.canonicalValues?.length ?? 0) > 0;
  if (filter.op === 'eq') return lowCardinality ? 1 : 4;
  return filter.op === 'sw' ? 2 : 1;
}
