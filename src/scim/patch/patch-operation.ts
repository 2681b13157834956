import { ScimError } from '../errors.js';
import { getMember, isRecord } from './scim-json.js';

export type PatchVerb = 'add' | 'remove' | 'replace';

/** One RFC 7644 §3.5.2 operation after its shape has been checked. */
export interface PatchOperation {
  readonly op: PatchVerb;
  readonly path?: string;
  /** Absent only for remove; `null` means "make unassigned" (RFC 7644 §3.5.2.3). */
  readonly value?: unknown;
}

/** RFC 7644 has no limit; this one keeps a single request's work bounded. */
export const DEFAULT_MAX_OPERATIONS = 1000;

const VERBS: ReadonlyMap<string, PatchVerb> = new Map([
  ['add', 'add'],
  ['remove', 'remove'],
  ['replace', 'replace'],
]);

/**
 * RFC 7644 §3.5.2: checks the "Operations" array. `op` is read in any case because Entra
 * sends `"Replace"` and `"Add"`. Over `maxOperations` is `tooMany`: RFC 7644 §3.12 defines it
 * for filters, but it is the scimType that tells a client to send less work per request.
 */
export function parseOperations(operations: readonly unknown[], maxOperations = DEFAULT_MAX_OPERATIONS): PatchOperation[] {
  if (operations.length === 0) throw ScimError.invalidSyntax('"Operations" needs at least one operation');
  if (operations.length > maxOperations) {
    throw ScimError.tooMany(`${operations.length} operations; at most ${maxOperations} are accepted per request`);
  }
  return operations.map(parseOperation);
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isRecord(raw)) throw ScimError.invalidSyntax(`${where} must be an object`);
  const name = getMember(raw, 'op');
  const op = typeof name === 'string' ? VERBS.get(name.toLowerCase()) : undefined;
  if (op === undefined) throw ScimError.invalidSyntax(`${where}.op must be "add", "remove" or "replace", not ${JSON.stringify(name) ?? 'missing'}`);
  const path = getMember(raw, 'path');
  if (path !== undefined && typeof path !== 'string') throw ScimError.invalidSyntax(`${where}.path must be a string`);
  const value = getMember(raw, 'value');
  if (value === undefined && op !== 'remove') throw ScimError.invalidSyntax(`${where} (${op}) needs a "value"`);
  return { op, ...(path === undefined ? {} : { path }), ...(value === undefined ? {} : { value }) };
}
