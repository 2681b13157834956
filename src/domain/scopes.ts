/** The OAuth scopes a connection can hold. */
export const SCOPES = ['scim.read', 'scim.write'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** RFC 6749 §3.3: a space-delimited list; unknown names are returned separately. */
export function parseScopeList(text: string): { scopes: Scope[]; unknown: string[] } {
  const names = [...new Set(text.split(' ').filter(Boolean))];
  return { scopes: names.filter(isScope), unknown: names.filter((name) => !isScope(name)) };
}
