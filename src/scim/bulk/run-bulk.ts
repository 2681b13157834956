import { ScimError, type ScimErrorBody } from '../errors.js';
import { referencedBulkIds, resolveReferences } from './bulk-references.js';
import type { BulkMethod, BulkOperation, BulkRequest } from './bulk-request.js';

export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

/** What running one operation came to, as its single endpoint would have answered. */
export interface BulkOutcome {
  readonly status: number;
  readonly location?: string;
  /** The resource's ETag after the operation. */
  readonly version?: string;
  /** The id a POST created, which `bulkId:` references then name. */
  readonly createdId?: string;
  /** The SCIM error body of a failed operation. */
  readonly error?: ScimErrorBody;
}

/** One entry of a BulkResponse (RFC 7644 §3.7). */
export interface BulkResponseOperation {
  readonly method: BulkMethod;
  readonly bulkId?: string;
  readonly location?: string;
  readonly version?: string;
  readonly status: string;
  readonly response?: ScimErrorBody;
}

export interface BulkResponse {
  readonly schemas: [typeof BULK_RESPONSE_SCHEMA];
  readonly Operations: BulkResponseOperation[];
}

/**
 * RFC 7644 §3.7: runs the operations one at a time, each as its own request would run. An
 * operation that references `bulkId:x` waits until the operation that creates x has run, so the
 * request's order is kept except where a reference needs another (§3.7.2). A reference to an
 * unknown bulkId, to an operation that failed, or round a cycle fails that operation with 409.
 * After `failOnErrors` errors nothing more runs (§3.7.3). The answer lists the operations that
 * ran, in request order.
 */
export async function runBulk(request: BulkRequest, execute: (operation: BulkOperation) => Promise<BulkOutcome>): Promise<BulkResponse> {
  const { operations } = request;
  const creators = new Map(operations.flatMap((operation) => (operation.method === 'POST' && operation.bulkId !== undefined ? [[operation.bulkId, operation] as const] : [])));
  const needs = operations.map(referencedBulkIds);
  const outcomes = new Map<number, BulkOutcome>();
  const created = new Map<string, string>();
  const failed = new Set<string>();
  let errors = 0;
  const stopped = (): boolean => request.failOnErrors !== undefined && errors >= request.failOnErrors;
  const settle = (index: number, outcome: BulkOutcome): void => {
    outcomes.set(index, outcome);
    const bulkId = operations[index].bulkId;
    if (outcome.error !== undefined) {
      errors++;
      if (bulkId !== undefined) failed.add(bulkId);
    } else if (bulkId !== undefined && outcome.createdId !== undefined) created.set(bulkId, outcome.createdId);
  };

  while (!stopped() && outcomes.size < operations.length) {
    const next = operations.findIndex((_, index) => !outcomes.has(index) && needs[index].every((id) => created.has(id) || failed.has(id) || !creators.has(id)));
    if (next < 0) {
      // Every operation left waits on another that waits too: a cycle (or a wait on one).
      const index = operations.findIndex((_, i) => !outcomes.has(i));
      settle(index, refused(`bulkId references of this operation form a cycle (${needs[index].join(', ')}), so none of them can run first.`));
      continue;
    }
    const unknown = needs[next].find((id) => !creators.has(id));
    const broken = needs[next].find((id) => failed.has(id));
    if (unknown !== undefined) settle(next, refused(`bulkId ${JSON.stringify(unknown)} is created by no POST of this request.`));
    else if (broken !== undefined) settle(next, refused(`the operation with bulkId ${JSON.stringify(broken)} failed, so this one, which references it, cannot run.`));
    else settle(next, await execute(resolveReferences(operations[next], created)));
  }

  return {
    schemas: [BULK_RESPONSE_SCHEMA],
    Operations: operations.flatMap((operation, index) => {
      const outcome = outcomes.get(index);
      if (outcome === undefined) return [];
      return [
        {
          method: operation.method,
          ...(operation.bulkId === undefined ? {} : { bulkId: operation.bulkId }),
          ...(outcome.location === undefined ? {} : { location: outcome.location }),
          ...(outcome.version === undefined ? {} : { version: outcome.version }),
          status: String(outcome.status),
          ...(outcome.error === undefined ? {} : { response: outcome.error }),
        },
      ];
    }),
  };
}

function refused(detail: string): BulkOutcome {
  const error = new ScimError(409, detail);
  return { status: error.status, error: error.toBody() };
}
