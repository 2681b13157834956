/** Per-tenant settings of DESIGN.md; rate limits fall back to the service defaults when absent. */
export interface TenantSettings {
  readonly userNameFormat: 'any' | 'email';
  readonly rateLimits?: { readonly readPerSecond?: number; readonly writePerSecond?: number };
  readonly uniqueRoles: readonly string[];
  /** Days events and audit entries are kept (DESIGN.md); absent means DEFAULT_RETENTION_DAYS. */
  readonly retentionDays?: number;
}

export const DEFAULT_RETENTION_DAYS = 400;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = { userNameFormat: 'any', uniqueRoles: ['owner'] };

/** Settings with a patch applied; keys the patch leaves undefined keep their value. */
export function mergeTenantSettings(base: TenantSettings, patch: Partial<TenantSettings> | undefined): TenantSettings {
  const defined = Object.entries(patch ?? {}).filter(([, value]) => value !== undefined);
  return { ...base, ...Object.fromEntries(defined) };
}
