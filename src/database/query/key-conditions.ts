import { ScimError } from '../../scim/errors.js';
import type { CompareOp } from '../../scim/filter/ast.js';
import type { AttributeInfo } from '../../scim/filter/attribute-resolver.js';
import { codePointLength, keyPrefixOf, prefixUpperBound, textKeyOf } from '../../scim/query/value-keys.js';
import type { SqlParams } from './resource-table.js';

/** A condition on one row (of a values or link table), given the row's alias or a column. */
export type RowCondition = (alias: string) => string;

export const SQL_OPS: Record<CompareOp, string> = { eq: '=', ne: '<>', co: '', sw: '', ew: '', gt: '>', ge: '>=', lt: '<', le: '<=' };

/**
 * A comparison of a text key (value-keys.ts) with the literal's key, in SQL both engines run
 * alike. `indexed` says the operand is a values row, whose `key_prefix` column the index
 * covers: equality and `sw` then narrow by the prefix first and check the whole key after.
 */
export function keyCondition(params: SqlParams, leaf: AttributeInfo, op: CompareOp, value: string | number | boolean, indexed: boolean): RowCondition {
  const key = typeof value === 'number' ? undefined : textKeyOf(leaf, value);
  if (key === undefined) throw ScimError.invalidFilter(`${JSON.stringify(value)} cannot be compared with a ${leaf.type}`);
  const text = (v: string) => (indexed ? `${v}.text_key` : v);
  const k = params.add(key);
  switch (op) {
    case 'eq':
      return indexed ? (v) => `${v}.key_prefix = ${params.add(keyPrefixOf(key))} AND ${v}.text_key = ${k}` : (v) => `${v} = ${k}`;
    case 'co':
      // replace() is on both engines (instr/strpos are not); LIKE would need escaping and is case-blind on SQLite.
      return key === '' ? () => '1 = 1' : (v) => `replace(${text(v)}, ${k}, '') <> ${text(v)}`;
    case 'sw': {
      if (key === '') return () => '1 = 1';
      const length = params.add(codePointLength(key));
      const exact = (v: string) => `substr(${text(v)}, 1, ${length}) = ${k}`;
      if (!indexed) return exact;
      const low = params.add(keyPrefixOf(key));
      const bound = prefixUpperBound(keyPrefixOf(key));
      const high = bound === undefined ? undefined : params.add(bound);
      return (v) => `${v}.key_prefix >= ${low}${high === undefined ? '' : ` AND ${v}.key_prefix < ${high}`} AND ${exact(v)}`;
    }
    case 'ew': {
      if (key === '') return () => '1 = 1';
      const length = params.add(codePointLength(key));
      return (v) => `length(${text(v)}) >= ${length} AND substr(${text(v)}, length(${text(v)}) - ${length} + 1) = ${k}`;
    }
    default:
      return (v) => `${text(v)} ${SQL_OPS[op]} ${k}`;
  }
}
