import type { IsoTimestamp } from '../../database/timestamps.js';

/** A tenant's webhook endpoint as the admin API shows it: never its secret. */
export interface WebhookEndpointView {
  readonly id: string;
  readonly url: string;
  /** The event types sent; empty: all. */
  readonly types: readonly string[];
  readonly description: string | null;
  readonly enabled: boolean;
  /** Why Roster disabled it (`gone`: the receiver answered 410), or null. */
  readonly disabledReason: string | null;
  /** Until when the previous secret still signs, after a rotation; or null. */
  readonly previousSecretExpiresAt: string | null;
  readonly createdAt: IsoTimestamp;
  readonly updatedAt: IsoTimestamp;
}

/** The answer to a create or a rotation: the only time the secret is shown. */
export interface WebhookEndpointWithSecret extends WebhookEndpointView {
  readonly secret: string;
}

/** What a dispatcher needs to send to an endpoint. */
export interface WebhookTarget {
  readonly id: string;
  readonly tenantId: string;
  readonly url: string;
  /** The secrets that sign now: the current one, and the previous one during its grace period. */
  readonly secrets: readonly string[];
}
