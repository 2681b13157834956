import { SCIM_PREFIX } from '../../http/roster-paths.js';

/** One SCIM operation as the metrics count it: a bounded label set, never an id. */
export interface ScimOperation {
  /** A resource type's name (`User`), `Bulk`, or `*` for the root `/.search`. */
  readonly resourceType: string;
  readonly operation: 'get' | 'list' | 'search' | 'create' | 'replace' | 'patch' | 'delete' | 'bulk';
  readonly outcome: string;
}

/** A resource type's name by its endpoint (`/Users` → `User`), as the registry knows them. */
export type ResourceTypeLookup = (endpoint: string) => string | undefined;

/**
 * The SCIM operation (RFC 7644 §3.2) a route template and method serve, or null for what is no
 * operation on resources (discovery, `/Me`, the fallback's 404/405 for unknown paths).
 */
export function scimOperationOf(route: string, method: string, status: number, typeAt: ResourceTypeLookup): ScimOperation | null {
  if (!route.startsWith(SCIM_PREFIX + '/')) return null;
  const [first, second, ...rest] = route.slice(SCIM_PREFIX.length + 1).split('/');
  if (first === undefined || rest.length > 0) return null;
  const outcome = outcomeOf(status);
  if (first === '.search' && second === undefined && method === 'POST') return { resourceType: '*', operation: 'search', outcome };
  if (first === 'Bulk' && second === undefined && method === 'POST') return { resourceType: 'Bulk', operation: 'bulk', outcome };
  const resourceType = typeAt(`/${first}`);
  if (resourceType === undefined) return null;
  const operation = second === undefined ? onCollection(method) : second === '.search' ? onSearch(method) : onResource(method);
  return operation === null ? null : { resourceType, operation, outcome };
}

function onCollection(method: string): ScimOperation['operation'] | null {
  if (method === 'GET') return 'list';
  return method === 'POST' ? 'create' : null;
}

function onSearch(method: string): ScimOperation['operation'] | null {
  return method === 'POST' ? 'search' : null;
}

function onResource(method: string): ScimOperation['operation'] | null {
  switch (method) {
    case 'GET':
      return 'get';
    case 'PUT':
      return 'replace';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return null;
  }
}

const OUTCOMES: Readonly<Record<number, string>> = {
  304: 'not_modified',
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** An answer's status as a small set of outcomes: `success` for 2xx, a name for the statuses SCIM answers, else the class. */
export function outcomeOf(status: number): string {
  if (status >= 200 && status < 300) return 'success';
  return OUTCOMES[status] ?? (status >= 500 ? 'server_error' : 'client_error');
}
