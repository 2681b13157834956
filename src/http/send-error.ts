import type { FastifyReply } from 'fastify';
import type { ScimError } from '../scim/errors.js';
import type { OAuthError } from '../modules/oauth/oauth-error.js';
import { SCIM_CONTENT_TYPE } from './scim-content-type.js';

/** RFC 7644 §3.12: the SCIM error body, its status and its headers (`Allow`, `Retry-After`, …). */
export function sendScimError(reply: FastifyReply, error: ScimError): void {
  void reply.status(error.status).headers(error.headers).type(SCIM_CONTENT_TYPE).send(JSON.stringify(error.toBody()));
}

/** RFC 6749 §5.2: the OAuth error body, never cached (§5.1). */
export function sendOAuthError(reply: FastifyReply, error: OAuthError): void {
  void reply
    .status(error.status)
    .headers({ ...error.headers, 'cache-control': 'no-store', pragma: 'no-cache' })
    .type('application/json')
    .send(JSON.stringify(error.toBody()));
}
