import { createTenantWithConnection, requestAccessToken, type CreatedConnection } from './bootstrap.js';
import type { HttpResponse } from './http-client.js';
import { TEST_ADMIN_TOKEN, type RosterHarness } from './roster-harness.js';
import { GROUP_SCHEMA, groupsApi, type GroupsApi } from './scim-groups.js';
import { USER_SCHEMA, usersApi, type ScimErrorResponse, type UsersApi } from './scim-users.js';
import { storedRows } from './stored-rows.js';

export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** Where the test harness says clients reach the service (startRoster's publicUrl). */
export const SCIM_BASE = 'https://roster.example.test/scim/v2';

/** Every table a bulk of user and group writes may touch: compared before and after, proof of what was stored. */
export const BULK_TABLES = ['users', 'user_values', 'user_roles', 'unique_role_holders', 'groups', 'group_members', 'group_values', 'roles'] as const;

export interface BulkOperationRequest {
  readonly method: string;
  readonly path: string;
  readonly bulkId?: string;
  readonly version?: string;
  readonly data?: unknown;
}

export interface BulkResponseOperation {
  readonly method: string;
  readonly bulkId?: string;
  readonly location?: string;
  readonly version?: string;
  readonly status: string;
  readonly response?: ScimErrorResponse;
}

export interface BulkResponseBody {
  readonly schemas: string[];
  readonly Operations: BulkResponseOperation[];
}

/** A BulkRequest message (RFC 7644 §3.7) around `operations`; `extra` adds or overrides members (failOnErrors, schemas). */
export function bulkRequest(operations: readonly BulkOperationRequest[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [BULK_REQUEST], Operations: operations, ...extra };
}

export const postUser = (bulkId: string, body: Record<string, unknown>): BulkOperationRequest => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { schemas: [USER_SCHEMA], ...body },
});

export const postGroup = (bulkId: string, body: Record<string, unknown>): BulkOperationRequest => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: { schemas: [GROUP_SCHEMA], ...body },
});

/** `members` of a group body naming `ids` (real ids or `bulkId:` references). */
export const membersOf = (...ids: string[]): { value: string }[] => ids.map((value) => ({ value }));

/** The id at the end of an operation's `location`. */
export function createdId(operation: BulkResponseOperation | undefined): string {
  const location = operation?.location;
  if (location === undefined) throw new Error(`no location in ${JSON.stringify(operation)}`);
  return location.slice(location.lastIndexOf('/') + 1);
}

/** `[bulkId or method+path, status]` of each answered operation, the shape most assertions compare. */
export function statusesOf(response: HttpResponse<BulkResponseBody>): [string, string][] {
  return (response.body?.Operations ?? []).map((operation) => [operation.bulkId ?? operation.method, operation.status]);
}

export interface UserAccess {
  readonly active: boolean;
  readonly roles: string[];
  readonly groups: { id: string; displayName: string }[];
}

/** One tenant seen through SCIM (its token's /Users, /Groups and /Bulk) and through the admin API. */
export interface BulkTenant {
  readonly connection: CreatedConnection;
  readonly tenantId: string;
  readonly token: string;
  readonly users: UsersApi;
  readonly groups: GroupsApi;
  bulk(operations: readonly BulkOperationRequest[], extra?: Record<string, unknown>): Promise<HttpResponse<BulkResponseBody>>;
  send(body: unknown, token?: string): Promise<HttpResponse<BulkResponseBody>>;
  /** GET /admin/tenants/{id}/users/{userId}/access: effective roles and groups. */
  access(userId: string): Promise<HttpResponse<UserAccess>>;
  /** Live users whose userName equals `userName`, read through the SCIM filter. */
  usersNamed(userName: string): Promise<{ id: string; userName: string }[]>;
  /** Live groups whose displayName equals `displayName`, read through the SCIM filter. */
  groupsNamed(displayName: string): Promise<{ id: string; displayName: string }[]>;
  rows(): Promise<Record<string, number>>;
}

/** A fresh tenant with a connection, so that one test's names and unique roles never meet another's. */
export async function newBulkTenant(roster: RosterHarness, scopes?: string[]): Promise<BulkTenant> {
  const connection = await createTenantWithConnection(roster.http, scopes === undefined ? {} : { scopes });
  const token = await requestAccessToken(roster.http, connection);
  const send = (body: unknown, as = token) => roster.http.post<BulkResponseBody>('/scim/v2/Bulk', { token: as, body });
  const list = async <T>(type: string, attribute: string, value: string): Promise<T[]> => {
    const filter = encodeURIComponent(`${attribute} eq ${JSON.stringify(value)}`);
    const response = await roster.http.get<{ Resources?: T[] }>(`/scim/v2/${type}?filter=${filter}`, { token });
    if (response.status !== 200) throw new Error(`GET /${type}: ${response.status} ${response.text}`);
    return response.body.Resources ?? [];
  };
  return {
    connection,
    tenantId: connection.tenantId,
    token,
    users: usersApi(roster, token),
    groups: groupsApi(roster, token),
    send,
    bulk: (operations, extra = {}) => send(bulkRequest(operations, extra)),
    access: (userId) => roster.http.get<UserAccess>(`/admin/tenants/${connection.tenantId}/users/${userId}/access`, { token: TEST_ADMIN_TOKEN }),
    usersNamed: (userName) => list('Users', 'userName', userName),
    groupsNamed: (displayName) => list('Groups', 'displayName', displayName),
    rows: () => storedRows(roster, connection.tenantId, BULK_TABLES),
  };
}
