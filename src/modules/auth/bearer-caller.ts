import type { FastifyRequest } from 'fastify';
import type { RosterOptions } from '../../config/roster-options.js';
import { isAddressAllowed } from './ip-allowlist.js';
import type { Principal } from './principal.js';
import { requestClientIp } from './request-client-ip.js';
import type { TokenService } from './token.service.js';

/** Who sent a bearer token, and whether the request comes from an address its connection allows. */
export interface BearerCaller {
  readonly principal: Principal;
  readonly addressAllowed: boolean;
}

/**
 * The caller behind a SCIM bearer token, or null for an unknown, expired or revoked one. The one
 * decision ScimAuthGuard's strategy (which answers 403 for a disallowed address) and the direct
 * reads (which hand such a request to that guard) both take.
 */
export async function bearerCallerOf(tokens: TokenService, token: string, request: FastifyRequest, options: RosterOptions): Promise<BearerCaller | null> {
  const principal = await tokens.verify(token);
  if (principal === null) return null;
  return { principal, addressAllowed: isAddressAllowed(requestClientIp(request, options), principal.allowedCidrs) };
}
