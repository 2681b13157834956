import { ScimError } from '../../scim/errors.js';
import { attrPath, subPath } from '../../scim/filter/ast.js';
import type { AttributeResolver } from '../../scim/filter/attribute-resolver.js';
import { indexedAttrName } from '../../scim/query/indexed-values.js';
import type { ResourceTable, SqlParams } from './resource-table.js';
import { unindexedCheck } from './unindexed-check.js';

/** The value a resource sorts by, as SQL over the resource table's alias; NULL when it has none. */
export interface SortExpression {
  readonly sql: string;
  readonly numeric: boolean;
}

/**
 * RFC 7644 §3.4.2.3 sortBy: any singular attribute or sub-attribute; a complex one sorts by its
 * `value`, a multi-valued one by its primary (else first) element, which the filter index keeps
 * as element 0. Text keys are case-folded where the attribute is not caseExact, so the order is
 * case-insensitive exactly where comparisons are.
 */
export function sortExpression(sortBy: string, resolve: AttributeResolver, table: ResourceTable, params: SqlParams, tenant: string): SortExpression {
  const path = attrPath(sortBy);
  const resolved = resolve(path);
  if (resolved === undefined) throw ScimError.invalidValue(`sortBy names an unknown attribute: "${sortBy}".`);
  const { extension, attribute } = resolved;
  if (extension === undefined && attribute.name === 'meta') {
    if (resolved.subAttribute?.name === 'created') return { sql: `${table.alias}.${table.createdColumn}`, numeric: false };
    if (resolved.subAttribute?.name === 'lastModified') return { sql: `${table.alias}.${table.lastModifiedColumn}`, numeric: false };
    throw ScimError.invalidValue(`Resources cannot be sorted by "${sortBy}"; meta.created and meta.lastModified can.`);
  }
  if (extension === undefined && table.relations.some((relation) => relation.attr === attribute.name.toLowerCase())) {
    throw ScimError.invalidValue(`Resources cannot be sorted by "${sortBy}", a list of links.`);
  }
  let leaf = resolved.subAttribute ?? attribute;
  if (leaf.type === 'complex') {
    const value = resolve(subPath(path, 'value'))?.subAttribute;
    if (value === undefined) throw ScimError.invalidValue(`"${sortBy}" is complex and has no "value"; sort by one of its sub-attributes.`);
    leaf = value;
  }
  if (attribute.returned === 'never' || leaf.returned === 'never') throw ScimError.invalidValue(`Resources cannot be sorted by "${sortBy}".`);
  const numeric = leaf.type === 'integer' || leaf.type === 'decimal';
  const s = params.alias();
  const sub = leaf === attribute ? '' : leaf.name.toLowerCase();
  const column = numeric ? 'num_value' : 'text_key';
  return {
    sql: `(SELECT ${s}.${column} FROM ${table.valuesTable} ${s} WHERE ${s}.resource_id = ${table.alias}.id AND ${unindexedCheck(`${s}.tenant_id = ${tenant}`)} AND ${s}.attr = ${params.add(indexedAttrName(attribute, extension))} AND ${s}.sub = ${params.add(sub)} AND ${s}.element = 0 ORDER BY ${s}.${column} LIMIT 1)`,
    numeric,
  };
}
