import type { Actor } from '../../http/request-context.js';
import type { StreamPosition } from './event.js';

/** One line of a tenant's audit log: an event, or a SCIM write that was refused. */
export interface AuditEntry {
  readonly kind: 'event' | 'refused';
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly requestId: string;
  readonly clientIp: string | null;
  readonly resource: { readonly type: string; readonly id: string } | null;
  readonly eventId?: string;
  readonly status?: number;
  readonly scimType?: string;
  readonly detail?: string;
  readonly method?: string;
  readonly path?: string;
}

export interface AuditQuery {
  readonly after?: { readonly events: StreamPosition; readonly refusals: StreamPosition };
  readonly resourceId?: string;
  readonly connectionId?: string;
  readonly type?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit: number;
}


/** An opaque cursor for a place in both audit streams (events, refusals). */
export function encodeAuditPosition(position: { readonly events: StreamPosition; readonly refusals: StreamPosition }): string {
  return Buffer.from(`a${position.events}.${position.refusals}`).toString('base64url');
}

/** The place a cursor names, or undefined when it names none (then `400 invalidValue`). */
export function decodeAuditPosition(cursor: string): { events: StreamPosition; refusals: StreamPosition } | undefined {
  const match = /^a(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match === null ? undefined : { events: Number(match[1]), refusals: Number(match[2]) };
}
