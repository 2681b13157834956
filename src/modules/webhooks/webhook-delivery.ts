import type { IsoTimestamp } from '../../database/timestamps.js';

/** `pending` until it succeeds, fails for good (schedule spent, 410, event purged) or is cancelled (endpoint disabled). */
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

/** One event for one endpoint, as the delivery history shows it. */
export interface WebhookDeliveryView {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** The receiver's HTTP status at the last attempt, or null (none yet, or no answer). */
  readonly lastStatus: number | null;
  /** Why the last attempt got no answer (timeout, refused address, connection error), or null. */
  readonly lastError: string | null;
  readonly lastAttemptAt: IsoTimestamp | null;
  readonly nextAttemptAt: IsoTimestamp | null;
  readonly createdAt: IsoTimestamp;
}

/** A delivery a dispatcher has leased, with what it needs to attempt it. */
export interface LeasedDelivery {
  readonly id: string;
  readonly tenantId: string;
  readonly endpointId: string;
  readonly eventPosition: number;
  readonly step: number;
}

/** How an attempt ended, as the dispatcher records it. */
export type AttemptResult =
  | { readonly kind: 'succeeded'; readonly status: number }
  | { readonly kind: 'retry'; readonly status: number | null; readonly error: string | null; readonly nextAttemptAt: IsoTimestamp }
  | { readonly kind: 'failed'; readonly status: number | null; readonly error: string | null };
