import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { isAddressAllowed } from '../auth/ip-allowlist.js';
import { parseScopeList } from '../../domain/scopes.js';
import { verifyAgainstDummy, verifySecret } from '../auth/secret-hash.js';
import { TokenService } from '../auth/token.service.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { readTokenRequest } from './client-credentials.js';
import { FailedAttemptsLimiter } from './failed-attempts.limiter.js';
import { OAuthError } from './oauth-error.js';

/** RFC 6749 §5.1 successful response. */
export interface AccessTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

const FAILURE_ADDRESS_UNKNOWN = 'unknown';

@Injectable()
export class TokenEndpointService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly tokens: TokenService,
    private readonly limiter: FailedAttemptsLimiter,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {}

  /** RFC 6749 §4.4 client-credentials grant. */
  async grant(clientIp: string | null, authorization: string | undefined, body: unknown): Promise<AccessTokenResponse> {
    const limiterKey = clientIp ?? FAILURE_ADDRESS_UNKNOWN;
    const retryAfter = await this.limiter.retryAfterSeconds(limiterKey);
    if (retryAfter > 0) {
      throw new OAuthError(429, 'slow_down', 'Too many failed token requests from this address.', {
        'retry-after': String(retryAfter),
      });
    }
    try {
      return await this.grantOrThrow(clientIp, authorization, body);
    } catch (error) {
      if (error instanceof OAuthError) await this.limiter.recordFailure(limiterKey);
      throw error;
    }
  }

  private async grantOrThrow(clientIp: string | null, authorization: string | undefined, body: unknown): Promise<AccessTokenResponse> {
    const request = readTokenRequest(authorization, body);
    const { clientId, clientSecret } = request.credentials;
    const connection = await this.connections.findActiveByClientId(clientId);
    // Unknown client and wrong secret take the same time and give the same answer.
    const authenticated = connection
      ? await verifySecret(clientSecret, connection.secretHash)
      : await verifyAgainstDummy(clientSecret);
    if (!connection || !authenticated) throw OAuthError.invalidClient();
    if (request.grantType !== 'client_credentials') {
      throw new OAuthError(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported.');
    }
    if (!isAddressAllowed(clientIp, connection.allowedCidrs)) {
      throw new OAuthError(400, 'unauthorized_client', 'This client may not request tokens from this address.');
    }
    const scopes = this.grantedScopes(request.scope, connection.scopes);
    const issued = await this.tokens.issueAccessToken(connection, scopes);
    return {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: this.options.accessTokenTtlSeconds,
      scope: issued.scopes.join(' '),
    };
  }

  /** RFC 6749 §3.3: no scope → all the connection holds; otherwise a subset of it. */
  private grantedScopes(requested: string | undefined, held: readonly string[]) {
    if (requested === undefined || requested.trim() === '') return parseScopeList(held.join(' ')).scopes;
    const { scopes, unknown } = parseScopeList(requested);
    const notHeld = [...unknown, ...scopes.filter((scope) => !held.includes(scope))];
    if (notHeld.length > 0 || scopes.length === 0) {
      throw new OAuthError(400, 'invalid_scope', `Scope not granted to this client: ${notHeld.join(' ') || requested}.`);
    }
    return scopes;
  }
}
