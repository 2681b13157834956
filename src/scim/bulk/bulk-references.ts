import { isRecord } from '../patch/scim-json.js';
import type { BulkOperation } from './bulk-request.js';

const PREFIX = 'bulkId:';
const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * RFC 7644 §3.7.2: where an operation names a resource another operation of the request creates,
 * as `bulkId:<id>` — in its path (`/Groups/bulkId:g1`), in any `value` (group members, a
 * manager, PATCH values) and in the enterprise `manager` sent as a plain id (an Entra form).
 * Returns the bulkIds, each once.
 */
export function referencedBulkIds(operation: BulkOperation): string[] {
  const found = new Set<string>();
  const note = (text: string): string => {
    if (text.startsWith(PREFIX)) found.add(text.slice(PREFIX.length));
    return text;
  };
  const id = pathId(operation.path);
  if (id !== undefined) note(id);
  substitute(operation.data, note);
  return [...found];
}

/** The operation with every `bulkId:<id>` replaced by the id its operation created. */
export function resolveReferences(operation: BulkOperation, created: ReadonlyMap<string, string>): BulkOperation {
  const swap = (text: string): string => (text.startsWith(PREFIX) ? (created.get(text.slice(PREFIX.length)) ?? text) : text);
  const id = pathId(operation.path);
  const path = id === undefined ? operation.path : operation.path.slice(0, operation.path.length - id.length) + swap(id);
  return { ...operation, path, ...(operation.data === undefined ? {} : { data: substitute(operation.data, swap) }) };
}

/** The `{id}` of `/Type/{id}`, if the path has one. */
export function pathId(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length === 3 && parts[2] !== '' ? parts[2] : undefined;
}

/** A copy of `value` with the strings that may reference a resource passed through `swap`. */
function substitute(value: unknown, swap: (text: string) => string, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, swap, key));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => {
        if (name.toLowerCase() === ENTERPRISE_USER.toLowerCase() && isRecord(inner)) return [name, substituteManager(inner, swap)];
        return [name, substitute(inner, swap, name)];
      }),
    );
  }
  return typeof value === 'string' && key?.toLowerCase() === 'value' ? swap(value) : value;
}

function substituteManager(extension: Record<string, unknown>, swap: (text: string) => string): Record<string, unknown> {
  const result = substitute(extension, swap) as Record<string, unknown>;
  for (const [name, manager] of Object.entries(extension)) {
    if (name.toLowerCase() === 'manager' && typeof manager === 'string') result[name] = swap(manager);
  }
  return result;
}
