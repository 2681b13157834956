import type { ScimObject } from '../../scim/patch/scim-json.js';
import { type IndexedValue, indexedValuesOf } from '../../scim/query/indexed-values.js';
import { USERS } from './user.definition.js';

/** A stored user's filter index rows: its document as served (with its id; meta lives in columns). */
export function userIndexRows(data: ScimObject, id: string): IndexedValue[] {
  return indexedValuesOf({ ...data, id }, USERS.type.context);
}
