/** The URL prefixes Roster owns; errors under them get Roster's error shapes. */
export const SCIM_PREFIX = '/scim/v2';
export const OAUTH_PREFIX = '/oauth';
export const ADMIN_PREFIX = '/admin';
export const HEALTH_PREFIX = '/health';

export type ErrorDialect = 'scim' | 'oauth' | 'other';

/** Which error shape a request path answers in: SCIM JSON, OAuth JSON (RFC 6749 §5.2), or the framework's. */
export function errorDialectOf(url: string): ErrorDialect {
  const path = url.split('?')[0] ?? '';
  if (isUnder(path, OAUTH_PREFIX)) return 'oauth';
  if (isUnder(path, SCIM_PREFIX) || isUnder(path, ADMIN_PREFIX)) return 'scim';
  return 'other';
}

function isUnder(path: string, prefix: string): boolean {
  const lower = path.toLowerCase();
  return lower === prefix || lower.startsWith(prefix + '/');
}
