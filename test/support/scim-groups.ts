import type { HttpResponse } from './http-client.js';
import type { RosterHarness } from './roster-harness.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ACCESS_GROUP = 'urn:roster:params:scim:schemas:extension:access:2.0:Group';

export type ScimGroup = Record<string, unknown> & {
  id: string;
  displayName: string;
  members?: { value: string; $ref: string; display: string; type: string }[];
  meta: { version: string; location: string };
};

/** The /Groups endpoints of one tenant, bound to its token. */
export function groupsApi(roster: RosterHarness, token: string) {
  const path = (id: string, query = ''): string => `/scim/v2/Groups/${encodeURIComponent(id)}${query}`;
  return {
    create: <T = ScimGroup>(body: Record<string, unknown>): Promise<HttpResponse<T>> =>
      roster.http.post<T>('/scim/v2/Groups', { token, body: { schemas: [GROUP_SCHEMA], ...body } }),
    post: <T = ScimGroup>(body: unknown): Promise<HttpResponse<T>> => roster.http.post<T>('/scim/v2/Groups', { token, body }),
    get: <T = ScimGroup>(id: string, query = ''): Promise<HttpResponse<T>> => roster.http.get<T>(path(id, query), { token }),
    list: <T = unknown>(query: string): Promise<HttpResponse<T>> => roster.http.get<T>(`/scim/v2/Groups?${query}`, { token }),
    put: <T = ScimGroup>(id: string, body: unknown): Promise<HttpResponse<T>> => roster.http.request<T>('PUT', path(id), { token, body }),
    patch: <T = ScimGroup>(id: string, body: unknown, query = ''): Promise<HttpResponse<T>> => roster.http.patch<T>(path(id, query), { token, body }),
    delete: (id: string): Promise<HttpResponse<unknown>> => roster.http.delete(path(id), { token }),
    /** The member ids of a group, sorted, read back through GET. */
    memberIds: async (id: string): Promise<string[]> => {
      const response = await roster.http.get<ScimGroup>(path(id), { token });
      if (response.status !== 200) throw new Error(`GET group ${id}: ${response.status} ${response.text}`);
      return (response.body.members ?? []).map((member) => member.value).sort();
    },
  };
}

export type GroupsApi = ReturnType<typeof groupsApi>;
