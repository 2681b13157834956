import type { TenantId } from '../../domain/tenant-id.js';
import type { Scope } from '../../domain/scopes.js';

/** Who is calling a SCIM endpoint: everything comes from the token, nothing from the request. */
export interface Principal {
  readonly tenantId: TenantId;
  readonly connectionId: string;
  readonly tokenId: string;
  readonly scopes: readonly Scope[];
  readonly allowedCidrs: readonly string[];
  /** null for a secret token minted without expiry. */
  readonly expiresAt: string | null;
}
