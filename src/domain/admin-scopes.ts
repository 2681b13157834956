/** What an admin key may do (DESIGN.md "Admin API"): read, write, or only ask the access endpoint. */
export const ADMIN_SCOPES = ['admin:read', 'admin:write', 'access:read'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

export function isAdminScope(value: string): value is AdminScope {
  return (ADMIN_SCOPES as readonly string[]).includes(value);
}
