import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import type { HttpResponse } from './http-client.js';
import type { RosterHarness } from './roster-harness.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type ScimUser = Record<string, unknown> & {
  id: string;
  schemas: string[];
  meta: { version: string; location: string; created: string; lastModified: string };
};

export interface ScimErrorResponse {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
}

/** A PatchOp message (RFC 7644 §3.5.2) around `operations`. */
export function patchOp(...operations: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** The /Users endpoints of one tenant, bound to its token. */
export function usersApi(roster: RosterHarness, token: string) {
  const path = (id: string, query = ''): string => `/scim/v2/Users/${encodeURIComponent(id)}${query}`;
  return {
    token,
    create: <T = ScimUser>(body: Record<string, unknown>): Promise<HttpResponse<T>> =>
      roster.http.post<T>('/scim/v2/Users', { token, body: { schemas: [USER_SCHEMA], ...body } }),
    post: <T = ScimUser>(body: unknown): Promise<HttpResponse<T>> => roster.http.post<T>('/scim/v2/Users', { token, body }),
    postRaw: <T = ScimUser>(rawBody: string): Promise<HttpResponse<T>> =>
      roster.http.post<T>('/scim/v2/Users', { token, rawBody, headers: { 'content-type': 'application/scim+json' } }),
    get: (id: string, query = ''): Promise<HttpResponse<ScimUser>> => roster.http.get<ScimUser>(path(id, query), { token }),
    put: <T = ScimUser>(id: string, body: unknown): Promise<HttpResponse<T>> => roster.http.request<T>('PUT', path(id), { token, body }),
    patch: <T = ScimUser>(id: string, body: unknown, query = '', headers: Record<string, string> = {}): Promise<HttpResponse<T>> =>
      roster.http.patch<T>(path(id, query), { token, body, headers }),
    patchRaw: <T = ScimUser>(id: string, rawBody: string): Promise<HttpResponse<T>> =>
      roster.http.patch<T>(path(id), { token, rawBody, headers: { 'content-type': 'application/scim+json' } }),
    delete: (id: string): Promise<HttpResponse<unknown>> => roster.http.delete(path(id), { token }),
  };
}

export type UsersApi = ReturnType<typeof usersApi>;

/** Rows in the `users` table for a tenant, soft-deleted ones included: proof that nothing was stored. */
export async function countUserRows(roster: RosterHarness, tenantId: string): Promise<number> {
  const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
  const placeholder = roster.options.database.kind === 'postgres' ? '$1' : '?';
  const rows = (await dataSource.query(`SELECT COUNT(*) AS n FROM users WHERE tenant_id = ${placeholder}`, [tenantId])) as { n: number | string }[];
  return Number(rows[0].n);
}
