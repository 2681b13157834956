import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import type { HttpResponse } from './http-client.js';
import { TEST_ADMIN_TOKEN, type RosterHarness } from './roster-harness.js';

export const LIBRARY_SCHEMA = 'urn:roster:params:scim:schemas:core:2.0:Library';
export const ACCESS_USER = 'urn:roster:params:scim:schemas:extension:access:2.0:User';
export const ACCESS_GROUP = 'urn:roster:params:scim:schemas:extension:access:2.0:Group';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
/** PATCH paths of the grants on a User and on a Group. */
export const USER_LIBRARIES = `${ACCESS_USER}:libraries`;
export const GROUP_LIBRARIES = `${ACCESS_GROUP}:libraries`;
export const PUBLIC_URL = 'https://roster.example.test';

/** A library as the admin API answers it. */
export interface LibraryView {
  id: string;
  displayName: string;
  description: string | null;
  externalId: string | null;
  createdAt: string;
  lastModified: string;
}

/** A library as SCIM answers it. */
export type ScimLibrary = Record<string, unknown> & {
  schemas: string[];
  id: string;
  displayName: string;
  description?: string;
  externalId?: string;
  meta: { resourceType: string; created: string; lastModified: string; location: string; version: string };
};

/** One granted library inside a User or Group answer. */
export interface LibraryRef {
  value: string;
  display: string;
  $ref: string;
}

export interface UserAccess {
  active: boolean;
  roles: string[];
  libraries: { id: string; displayName: string }[];
  groups: { id: string; displayName: string }[];
}

export interface ListResponse<T> {
  schemas: string[];
  totalResults: number;
  itemsPerPage?: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: T[];
}

export function libraryLocation(id: string): string {
  return `${PUBLIC_URL}/scim/v2/Libraries/${id}`;
}

/** What Roster answers for a grant of `library`: its id, its displayName and its SCIM location. */
export function libraryRef(library: { id: string; displayName: string }): LibraryRef {
  return { value: library.id, display: library.displayName, $ref: libraryLocation(library.id) };
}

/** Case-insensitive order by code point; tests that depend on it use names of ASCII letters and spaces. */
export function byFoldedName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The refs Roster answers for these libraries: sorted by displayName, case-insensitively. */
export function libraryRefs(...libraries: { id: string; displayName: string }[]): LibraryRef[] {
  return [...libraries].sort((a, b) => byFoldedName(a.displayName, b.displayName)).map(libraryRef);
}

/** The access answer's `libraries` for these libraries: `{id, displayName}` sorted by displayName. */
export function accessLibraries(...libraries: { id: string; displayName: string }[]): { id: string; displayName: string }[] {
  return libraryRefs(...libraries).map((ref) => ({ id: ref.value, displayName: ref.display }));
}

/** The grants listed in a User or Group answer under the access extension of `urn`; absent means none. */
export function grantsIn(resource: Record<string, unknown>, urn: string): LibraryRef[] | undefined {
  const extension = resource[urn] as { libraries?: LibraryRef[] } | undefined;
  return extension?.libraries;
}

/** Fails with the status and the body in the message, so a wrong answer says what it was. */
export function expectStatus(response: HttpResponse<unknown>, status: number): void {
  expect(`${response.status} ${response.text.slice(0, 600)}`).toMatch(new RegExp(`^${status}\\b`));
}

/** The SCIM error body: error schema, status as a string, the scimType when given, and a detail. */
export function expectScimError(response: HttpResponse<unknown>, status: number, scimType?: string): void {
  expectStatus(response, status);
  expect(response.headers.get('content-type')).toMatch(/^application\/(scim\+)?json/);
  expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), detail: expect.any(String) });
  if (scimType) expect((response.body as { scimType?: string }).scimType).toBe(scimType);
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules|FST_|SyntaxError|QueryFailed|SQLITE_/);
}

/** `400 invalidValue` whose detail names the refused library (its id or the name it was sent as). */
export function expectRefusalNaming(response: HttpResponse<unknown>, name: string): void {
  expectScimError(response, 400, 'invalidValue');
  expect((response.body as { detail?: string }).detail).toContain(name);
}

/** The admin library endpoints of one tenant. */
export function librariesAdmin(roster: RosterHarness, tenantId: string, adminToken = TEST_ADMIN_TOKEN) {
  const base = `/admin/tenants/${encodeURIComponent(tenantId)}`;
  const path = (id: string): string => `${base}/libraries/${encodeURIComponent(id)}`;
  const token = adminToken;
  return {
    tenantId,
    create: <T = LibraryView>(body: unknown): Promise<HttpResponse<T>> => roster.http.post<T>(`${base}/libraries`, { token, body }),
    list: <T = LibraryView[]>(): Promise<HttpResponse<T>> => roster.http.get<T>(`${base}/libraries`, { token }),
    /** The tenant's libraries, as the admin list answers them (200, else the test fails with the answer). */
    listed: async (): Promise<LibraryView[]> => {
      const response = await roster.http.get<LibraryView[]>(`${base}/libraries`, { token });
      expectStatus(response, 200);
      return response.body;
    },
    get: <T = LibraryView>(id: string): Promise<HttpResponse<T>> => roster.http.get<T>(path(id), { token }),
    patch: <T = LibraryView>(id: string, body: unknown): Promise<HttpResponse<T>> => roster.http.patch<T>(path(id), { token, body }),
    delete: (id: string): Promise<HttpResponse<unknown>> => roster.http.delete(path(id), { token }),
    /** A library that must be created: 201, else the test fails with the answer. */
    add: async (displayName: string, extra: { description?: string; externalId?: string } = {}): Promise<LibraryView> => {
      const response = await roster.http.post<LibraryView>(`${base}/libraries`, { token, body: { displayName, ...extra } });
      expectStatus(response, 201);
      return response.body;
    },
    /** GET /admin/tenants/{tid}/users/{uid}/access. */
    access: (userId: string): Promise<HttpResponse<UserAccess>> =>
      roster.http.get<UserAccess>(`${base}/users/${encodeURIComponent(userId)}/access`, { token }),
    /** The access answer of a user that must exist. */
    accessOf: async (userId: string): Promise<UserAccess> => {
      const response = await roster.http.get<UserAccess>(`${base}/users/${encodeURIComponent(userId)}/access`, { token });
      expectStatus(response, 200);
      return response.body;
    },
  };
}

export type LibrariesAdmin = ReturnType<typeof librariesAdmin>;

/** The SCIM /Libraries endpoints of one tenant, bound to its token. */
export function scimLibraries(roster: RosterHarness, token: string) {
  const path = (id: string, query = ''): string => `/scim/v2/Libraries/${encodeURIComponent(id)}${query}`;
  return {
    token,
    get: <T = ScimLibrary>(id: string, query = '', headers: Record<string, string> = {}): Promise<HttpResponse<T>> =>
      roster.http.get<T>(path(id, query), { token, headers }),
    list: <T = ListResponse<ScimLibrary>>(query = ''): Promise<HttpResponse<T>> => roster.http.get<T>(`/scim/v2/Libraries?${query}`, { token }),
    /** The ids a list query answers, in the order answered (200, else the test fails with the answer). */
    listedIds: async (query = ''): Promise<string[]> => {
      const response = await roster.http.get<ListResponse<ScimLibrary>>(`/scim/v2/Libraries?${query}`, { token });
      expectStatus(response, 200);
      return response.body.Resources.map((library) => library.id);
    },
    /** The ids a filter selects, in the order answered. */
    filterIds: async (filter: string, extra = ''): Promise<string[]> => {
      const response = await roster.http.get<ListResponse<ScimLibrary>>(`/scim/v2/Libraries?filter=${encodeURIComponent(filter)}${extra}`, { token });
      expectStatus(response, 200);
      return (response.body.Resources ?? []).map((library) => library.id);
    },
    search: <T = ListResponse<ScimLibrary>>(body: Record<string, unknown>): Promise<HttpResponse<T>> =>
      roster.http.post<T>('/scim/v2/Libraries/.search', { token, body: { schemas: [SEARCH_REQUEST], ...body } }),
    rootSearch: <T = ListResponse<Record<string, unknown>>>(body: Record<string, unknown>): Promise<HttpResponse<T>> =>
      roster.http.post<T>('/scim/v2/.search', { token, body: { schemas: [SEARCH_REQUEST], ...body } }),
    /** Any method on /Libraries (id undefined) or /Libraries/{id}. */
    request: (method: string, id?: string, body?: unknown): Promise<HttpResponse<unknown>> =>
      roster.http.request(method, id === undefined ? '/scim/v2/Libraries' : path(id), { token, body }),
  };
}

export type ScimLibraries = ReturnType<typeof scimLibraries>;

function dataSourceOf(roster: RosterHarness): DataSource {
  return roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
}

export type GrantHolder = 'user' | 'group';

/** Stored grant rows (`user_library_grants` / `group_library_grants`) of a tenant, optionally of one holder or one library. */
export async function storedGrants(
  roster: RosterHarness,
  holder: GrantHolder,
  where: { tenantId: string; holderId?: string; libraryId?: string },
): Promise<{ holderId: string; libraryId: string }[]> {
  const postgres = roster.options.database.kind === 'postgres';
  const table = holder === 'user' ? 'user_library_grants' : 'group_library_grants';
  const holderColumn = holder === 'user' ? 'user_id' : 'group_id';
  const conditions = ['tenant_id = :tenant'];
  const params: string[] = [where.tenantId];
  if (where.holderId !== undefined) {
    conditions.push(`${holderColumn} = :holder`);
    params.push(where.holderId);
  }
  if (where.libraryId !== undefined) {
    conditions.push('library_id = :library');
    params.push(where.libraryId);
  }
  let n = 0;
  const sql = `SELECT ${holderColumn} AS holder_id, library_id FROM ${table} WHERE ${conditions.join(' AND ')}`.replace(/:\w+/g, () =>
    postgres ? `$${++n}` : '?',
  );
  const rows = (await dataSourceOf(roster).query(sql, params)) as { holder_id: string; library_id: string }[];
  return rows
    .map((row) => ({ holderId: String(row.holder_id), libraryId: String(row.library_id) }))
    .sort((a, b) => (a.holderId + a.libraryId).localeCompare(b.holderId + b.libraryId));
}

/** The library ids stored as granted to one user or group, sorted. */
export async function storedLibraryIds(roster: RosterHarness, holder: GrantHolder, tenantId: string, holderId: string): Promise<string[]> {
  return (await storedGrants(roster, holder, { tenantId, holderId })).map((row) => row.libraryId).sort();
}

/** The holder ids stored as holding one library, sorted. */
export async function storedHolderIds(roster: RosterHarness, holder: GrantHolder, tenantId: string, libraryId: string): Promise<string[]> {
  return (await storedGrants(roster, holder, { tenantId, libraryId })).map((row) => row.holderId).sort();
}

export function sortedIds(ids: readonly string[]): string[] {
  return [...ids].sort();
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
