import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 32 random bytes in base64, the form Standard Webhooks libraries take. */
export function mintSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` header of Standard Webhooks 1.0: `v1,<base64 HMAC-SHA256>` of
 * `id.timestamp.body` under each secret, space-separated. During a rotation's grace period both
 * the new and the previous secret sign, so receivers verify with either while they switch.
 */
export function signatureHeader(secrets: readonly string[], messageId: string, sentAt: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(messageId, sentAt, body)).join(' ');
}
