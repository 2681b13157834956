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
  readonly after?: StreamPosition;
  readonly resourceId?: string;
  readonly connectionId?: string;
  readonly type?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit: number;
}

