import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { nowIso } from '../../database/timestamps.js';
import { appendOrderedId } from '../../domain/append-ordered-id.js';
import { EventsService } from '../events/events.service.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';

/** Endpoints one pass fans out to; the next pass takes the rest. */
const ENDPOINTS_PER_PASS = 50;
/** Events one pass reads for one endpoint. */
const EVENTS_PER_PASS = 500;
/**
 * Most pending deliveries an endpoint has at once. Beyond it the endpoint's events wait in the
 * stream (its position stays), so a receiver that is down for a day holds at most this many
 * rows in retry, however many events its tenant makes, and every event still gets the whole
 * retry schedule once its turn comes.
 */
export const PENDING_WINDOW = 1000;

/**
 * Turns committed events into deliveries: each enabled endpoint walks its tenant's stream from
 * where it stopped, in one transaction that creates the deliveries and moves it on, so no event
 * is skipped or delivered twice by the fan-out (the stream is gapless and in commit order).
 */
@Injectable()
export class WebhookFanOut {
  private readonly pendingWindow: number;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly events: EventsService,
    private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(ROSTER_OPTIONS) options: RosterOptions,
  ) {
    this.pendingWindow = options.webhooks.pendingWindow ?? PENDING_WINDOW;
  }

  /** One pass over the endpoints behind their stream; how many deliveries it created. */
  run(): Promise<number> {
    return this.transactions.run(async (manager) => {
      let created = 0;
      for (const endpoint of await this.deliveries.fanOutCandidates(ENDPOINTS_PER_PASS, manager)) {
        const room = this.pendingWindow - endpoint.pending;
        if (room <= 0) continue;
        const limit = Math.min(room, EVENTS_PER_PASS);
        const events = await this.events.positionsBetween(endpoint.tenantId, endpoint.fannedOutThrough, endpoint.streamEnd, limit, manager);
        const wanted = endpoint.types.length === 0 ? events : events.filter((event) => endpoint.types.includes(event.type));
        const now = nowIso();
        await this.deliveries.insert(
          wanted.map((event) => ({ id: appendOrderedId(), tenantId: endpoint.tenantId, endpointId: endpoint.id, eventPosition: event.position, eventId: event.id, eventType: event.type, now })),
          manager,
        );
        // Fewer than asked for: the endpoint is at the stream's end (purged events included).
        const through = events.length === limit ? (events[events.length - 1]?.position ?? endpoint.streamEnd) : endpoint.streamEnd;
        await this.deliveries.advance(endpoint.id, through, manager);
        created += wanted.length;
      }
      return created;
    });
  }
}
