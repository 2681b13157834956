import { ScimError } from '../errors.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** RFC 7644 §3.5.2: the PatchOp envelope; returns its `Operations` for the engine to check one by one. */
export function readPatchRequest(body: unknown): readonly unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ScimError.invalidSyntax('A PATCH body must be a PatchOp JSON object.');
  }
  const entries = Object.entries(body);
  const schemas = entries.find(([key]) => key.toLowerCase() === 'schemas')?.[1];
  const isPatchOp = Array.isArray(schemas) && schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
  if (!isPatchOp) throw ScimError.invalidSyntax(`A PATCH body must list the schema ${PATCH_OP_SCHEMA}.`);
  const operations = entries.find(([key]) => key.toLowerCase() === 'operations')?.[1];
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('A PATCH body needs a non-empty "Operations" array.');
  }
  return operations;
}
