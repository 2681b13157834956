import { ScimError } from '../errors.js';
import { getMember, isRecord } from '../patch/scim-json.js';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation of a BulkRequest (RFC 7644 §3.7), checked but not yet resolved against resource types. */
export interface BulkOperation {
  readonly method: BulkMethod;
  /** As sent, e.g. `/Users` or `/Groups/bulkId:g1`. */
  readonly path: string;
  readonly bulkId?: string;
  /** The resource's version the client expects (`If-Match`). */
  readonly version?: string;
  readonly data?: unknown;
}

export interface BulkRequest {
  /** Stop after this many errors (RFC 7644 §3.7.3); absent: run every operation. */
  readonly failOnErrors?: number;
  readonly operations: readonly BulkOperation[];
}

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_BULK_ID_LENGTH = 256;

/**
 * RFC 7644 §3.7: reads a BulkRequest envelope. More operations than `maxOperations` is `413`
 * (§3.7.4), before any operation runs; so is anything malformed (`400`), since an operation the
 * server cannot read cannot be reported back in its place.
 */
export function readBulkRequest(body: unknown, maxOperations: number): BulkRequest {
  if (!isRecord(body)) throw ScimError.invalidSyntax('A BulkRequest must be a JSON object.');
  const schemas = getMember(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase())) {
    throw ScimError.invalidSyntax(`A BulkRequest must list "${BULK_REQUEST_SCHEMA}" in "schemas".`);
  }
  const operations = getMember(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw ScimError.invalidSyntax('A BulkRequest needs a non-empty "Operations" array.');
  if (operations.length > maxOperations) {
    throw new ScimError(413, `A BulkRequest may hold at most ${maxOperations} operations (maxOperations); this one holds ${operations.length}.`);
  }
  const failOnErrors = getMember(body, 'failOnErrors');
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw ScimError.invalidValue('"failOnErrors" must be a whole number of 1 or more.');
  }
  const read = operations.map((operation, index) => readOperation(operation, `Operations[${index}]`));
  const seen = new Set<string>();
  for (const { bulkId } of read) {
    if (bulkId === undefined) continue;
    // Two operations with one bulkId would make every reference to it ambiguous.
    if (seen.has(bulkId)) throw ScimError.invalidValue(`bulkId ${JSON.stringify(bulkId)} is used by more than one operation.`);
    seen.add(bulkId);
  }
  return { ...(failOnErrors === undefined ? {} : { failOnErrors }), operations: read };
}

function readOperation(operation: unknown, where: string): BulkOperation {
  if (!isRecord(operation)) throw ScimError.invalidSyntax(`${where} must be a JSON object.`);
  const method = getMember(operation, 'method');
  const upper = typeof method === 'string' ? method.toUpperCase() : undefined;
  const known = METHODS.find((candidate) => candidate === upper);
  if (known === undefined) throw ScimError.invalidValue(`${where}: "method" must be one of ${METHODS.join(', ')}.`);
  const path = getMember(operation, 'path');
  // A path that names no resource is that operation's 404, not the whole request's 400.
  if (typeof path !== 'string' || path === '') throw ScimError.invalidValue(`${where}: "path" must be a resource path such as "/Users".`);
  const bulkId = optionalString(getMember(operation, 'bulkId'), `${where}: "bulkId"`);
  if (bulkId !== undefined && (bulkId === '' || bulkId.length > MAX_BULK_ID_LENGTH)) {
    throw ScimError.invalidValue(`${where}: "bulkId" must be 1 to ${MAX_BULK_ID_LENGTH} characters.`);
  }
  // RFC 7644 §3.7: bulkId is REQUIRED with POST, data with POST, PUT and PATCH.
  if (known === 'POST' && bulkId === undefined) throw ScimError.invalidValue(`${where}: a POST needs a "bulkId".`);
  const data = getMember(operation, 'data');
  if (known !== 'DELETE' && data === undefined) throw ScimError.invalidValue(`${where}: a ${known} needs "data".`);
  const version = optionalString(getMember(operation, 'version'), `${where}: "version"`);
  return {
    method: known,
    path,
    ...(bulkId === undefined ? {} : { bulkId }),
    ...(version === undefined ? {} : { version }),
    ...(data === undefined ? {} : { data }),
  };
}

function optionalString(value: unknown, label: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ScimError.invalidValue(`${label} must be a string.`);
  return value;
}
