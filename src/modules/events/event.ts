import type { Actor } from '../../http/request-context.js';

/** An event as the pull API and webhooks show it (DESIGN.md "Events"). */
export interface RosterEvent {
  readonly id: string;
  readonly type: string;
  readonly tenantId: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly requestId: string;
  readonly resource: { readonly type: string; readonly id: string; readonly version: number | null };
  readonly data: Readonly<Record<string, unknown>>;
}

/** A row's place in its tenant's stream, in commit order (stream-positions.ts). */
export type StreamPosition = number;

/** An opaque, URL-safe cursor for a position. */
export function encodePosition(position: StreamPosition): string {
  return Buffer.from(`p${position}`).toString('base64url');
}

/** The position a cursor names, or undefined when it names none (then `400 invalidValue`). */
export function decodePosition(cursor: string): StreamPosition | undefined {
  const match = /^p(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match === null ? undefined : Number(match[1]);
}
