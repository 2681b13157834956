import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Prefixes make leaked credentials recognisable by secret scanners and tell the kinds apart
 * at a glance; the random part carries 256 bits.
 */
export const TOKEN_PREFIX = { access: 'rst_at_', secret: 'rst_st_', clientSecret: 'rst_cs_', adminKey: 'rst_ak_' } as const;

export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function generateClientId(): string {
  return 'roster_' + randomBytes(12).toString('hex');
}

/** SHA-256 hex: stored instead of tokens, and what token look-ups search by. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares two strings in constant time regardless of where they differ or how long they are. */
export function timingSafeStringEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
