import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { nowIso } from '../../database/timestamps.js';
import { asTenantId } from '../../domain/tenant-id.js';
import type { RosterEvent, StreamPosition } from '../events/event.js';
import { EventsService } from '../events/events.service.js';
import { RosterMetrics } from '../metrics/roster-metrics.js';
import { ResourceChanges } from '../resources/resource-changes.js';
import { nextAttemptAfter } from './retry-schedule.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { AttemptResult, LeasedDelivery } from './webhook-delivery.js';
import type { WebhookTarget } from './webhook-endpoint.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookFanOut } from './webhook-fan-out.js';
import { WebhookConnections } from './webhook-connections.js';
import { signatureHeader } from './webhook-secret.js';
import { sendWebhook } from './webhook-sender.js';

/**
 * Attempts one replica makes at once, and at once to one endpoint: a hanging endpoint holds a
 * quarter of the slots, for at most the attempt's timeout. With 4 to an endpoint, deliveries to a
 * tenant's one endpoint fell behind its writes: during 8 s of 154–265 POST /Users a second on
 * PostgreSQL, 0–59 deliveries a second, and a backlog that took 5–25 s to drain after; with 16,
 * 77–174 a second and 0.3–4.6 s (6 alternating pairs, the first 4 before the share was exact).
 * On SQLite 5,568 events took 20 s to drain, with 16 6,044 took 6.7 s.
 */
const MAX_IN_FLIGHT = 64;
const MAX_IN_FLIGHT_PER_ENDPOINT = 16;
/**
 * How long a wake-up waits, so that the commits and finished attempts of a busy moment share one
 * pass (one fan-out and one claim transaction) instead of each paying for its own.
 */
const WAKE_DELAY_MS = 5;

interface PendingOutcome {
  readonly delivery: LeasedDelivery;
  readonly result: AttemptResult;
  resolve(): void;
  reject(error: unknown): void;
}

interface Attempt {
  readonly endpointId: string;
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

/** What the attempts of one claim read together: their endpoints, and their tenants' events by position. */
interface ClaimReads {
  readonly target: Promise<WebhookTarget | undefined>;
  readonly events: Promise<ReadonlyMap<StreamPosition, RosterEvent>>;
}

/**
 * Each replica's delivery loop: fans committed events out to endpoints, leases due deliveries
 * and sends them (Standard Webhooks 1.0). A lease outlives the attempt's timeout, so while it
 * holds no other replica attempts the same delivery; when a replica dies its leases run out and
 * another takes them. On stop the loop ends, attempts under way are abandoned and their leases
 * given back, so another replica sends them at once (DESIGN.md "Operations": release delivery leases).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly owner = randomUUID();
  private readonly attempts = new Map<string, Attempt>();
  private readonly connections = new WebhookConnections();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopping = false;
  private readonly outcomes: PendingOutcome[] = [];
  private flushing: Promise<void> | undefined;
  private failing = false;
  private wakeRequested = false;

  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly transactions: TransactionRunner,
    private readonly fanOut: WebhookFanOut,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly events: EventsService,
    private readonly metrics: RosterMetrics,
    private readonly changes: ResourceChanges,
  ) {}

  /** Longer than an attempt can take, with room for recording its outcome. */
  private get leaseMs(): number {
    return this.options.webhooks.timeoutMs * 2 + 2000;
  }

  onApplicationBootstrap(): void {
    this.metrics.observePendingDeliveries(() => this.deliveries.pendingTotal());
    if (!this.options.webhooks.deliver) return;
    // The lease owner id ties a delivery row's lease to this process's log.
    this.logger.log(`webhook deliveries: this replica leases as ${this.owner}`);
    // A write this replica committed has events to fan out now, not at the next poll.
    this.changes.onCommitted(() => this.wake());
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
    const leased = [...this.attempts.entries()];
    for (const [, attempt] of leased) attempt.abort.abort();
    await Promise.all(leased.map(([, attempt]) => attempt.done));
    this.connections.close();
    await this.transactions
      .run((manager) => this.deliveries.release(this.owner, leased.map(([id]) => id), manager))
      .catch((error: unknown) => this.logger.warn(`could not give back delivery leases (they run out by themselves): ${String(error)}`));
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.pass = this.runPass().finally(() => {
        this.pass = undefined;
        const again = this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(again ? WAKE_DELAY_MS : this.options.webhooks.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * A pass as soon as possible: after a local commit (new events) or a finished attempt (a free
   * slot, maybe more due). Passes never overlap: during one, the next is merely asked for.
   */
  private wake(): void {
    if (this.stopping) return;
    if (this.pass !== undefined) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(WAKE_DELAY_MS);
  }

  private async runPass(): Promise<void> {
    try {
      const due = await this.deliveries.dueWork(nowIso());
      // A fan-out that created deliveries made them due now: no second look needed.
      const created = due.fanOut ? await this.fanOut.run() : 0;
      if (this.attempts.size < MAX_IN_FLIGHT && (due.deliveries || created > 0)) await this.claimAndSend();
      if (this.failing) this.logger.log('webhook deliveries resumed');
      this.failing = false;
    } catch (error) {
      // Logged once per outage, not every pass: the database being away is reported elsewhere too.
      if (!this.failing) this.logger.warn(`webhook delivery pass failed; retrying every ${this.options.webhooks.pollMs} ms: ${String(error)}`);
      this.failing = true;
    }
  }

  private async claimAndSend(): Promise<void> {
    const free = MAX_IN_FLIGHT - this.attempts.size;
    if (free <= 0 || this.stopping) return;
    const perEndpoint = new Map<string, number>();
    for (const attempt of this.attempts.values()) perEndpoint.set(attempt.endpointId, (perEndpoint.get(attempt.endpointId) ?? 0) + 1);
    const now = new Date();
    // One UPDATE … RETURNING, whose row locks (SKIP LOCKED) hold for as long as it runs.
    const leased = await this.transactions.runStatement((manager) =>
      this.deliveries.claim(
        {
          owner: this.owner,
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
          limit: free,
          perEndpoint: MAX_IN_FLIGHT_PER_ENDPOINT,
          inFlight: perEndpoint,
        },
        manager,
      ),
    );
    // The claim's endpoints and events are read once each (a row per endpoint, a statement per
    // tenant), not once per delivery: every delivery is a round trip fewer (issue 15).
    const targets = new Map<string, Promise<WebhookTarget | undefined>>();
    const events = new Map<string, Promise<ReadonlyMap<StreamPosition, RosterEvent>>>();
    for (const delivery of leased) {
      const { endpointId, tenantId } = delivery;
      this.start(delivery, {
        target: sharedRead(targets, endpointId, () => this.endpoints.target(endpointId, nowIso())),
        events: sharedRead(events, tenantId, () =>
          this.events.atPositions(
            asTenantId(tenantId),
            leased.filter((other) => other.tenantId === tenantId).map((other) => other.eventPosition),
          ),
        ),
      });
    }
  }

  private start(delivery: LeasedDelivery, reads: ClaimReads): void {
    const abort = new AbortController();
    const done = this.attempt(delivery, reads, abort.signal)
      .catch((error: unknown) => this.logger.warn(`webhook delivery ${delivery.id} not recorded (its lease runs out, then it is sent again): ${String(error)}`))
      .finally(() => {
        this.attempts.delete(delivery.id);
        this.wake();
      });
    this.attempts.set(delivery.id, { endpointId: delivery.endpointId, abort, done });
  }

  private async attempt(delivery: LeasedDelivery, reads: ClaimReads, signal: AbortSignal): Promise<void> {
    const target = await reads.target;
    if (target === undefined) return; // disabled or deleted meanwhile: its deliveries were cancelled with it
    const event = (await reads.events).get(delivery.eventPosition);
    if (event === undefined) {
      await this.record(delivery, { kind: 'failed', status: null, error: 'the event is no longer retained' }, 'failed');
      return;
    }
    const body = JSON.stringify(event);
    const sentAt = new Date();
    const outcome = await sendWebhook(
      {
        url: target.url,
        body,
        headers: {
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signatureHeader(target.secrets, event.id, sentAt, body),
        },
      },
      { allowPrivateTargets: this.options.webhooks.allowPrivateTargets, timeoutMs: this.options.webhooks.timeoutMs, connections: this.connections, signal },
    );
    if (signal.aborted) return; // stopping: the lease is given back, another replica sends it
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
      await this.record(delivery, { kind: 'succeeded', status: outcome.status }, 'succeeded');
      this.metrics.webhookDelivered((Date.now() - Date.parse(event.occurredAt)) / 1000);
      return;
    }
    if (outcome.kind === 'answered' && outcome.status === 410) {
      await this.disableGone(delivery);
      return;
    }
    const status = outcome.kind === 'answered' ? outcome.status : null;
    const error = outcome.kind === 'failed' ? outcome.error : null;
    const next = nextAttemptAfter(new Date(), delivery.step, this.options.webhooks.retryDelaysMs);
    if (next === undefined) await this.record(delivery, { kind: 'failed', status, error }, 'failed');
    else await this.record(delivery, { kind: 'retry', status, error, nextAttemptAt: next.toISOString() }, 'retry');
  }

  private async record(delivery: LeasedDelivery, result: AttemptResult, outcome: 'succeeded' | 'retry' | 'failed'): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.outcomes.push({ delivery, result, resolve, reject });
      this.flushOutcomes();
    });
    this.metrics.webhookAttempt(outcome);
  }

  /**
   * Records finished attempts in as few transactions as they allow: those that end while one
   * flush runs go together in the next. On SQLite every transaction queues behind the SCIM
   * writes on the one connection, so one per attempt would cost the writes throughput.
   */
  private flushOutcomes(): void {
    if (this.flushing !== undefined) return;
    this.flushing = (async () => {
      while (this.outcomes.length > 0) {
        const batch = this.outcomes.splice(0);
        try {
          const now = nowIso();
          // In id order, as every batch locks them; cancelling an endpoint's deliveries may still
          // meet them in another order, and then one of the two is run again.
          const ordered = [...batch].sort((a, b) => (a.delivery.id < b.delivery.id ? -1 : a.delivery.id > b.delivery.id ? 1 : 0));
          const record = async (manager: EntityManager): Promise<void> => {
            for (const { delivery, result } of ordered) await this.deliveries.complete(delivery.id, this.owner, result, now, manager);
          };
          // One outcome is one UPDATE, atomic by itself; several share one transaction and so one commit (a WAL flush).
          await (batch.length === 1 ? this.transactions.runStatement(record) : this.transactions.runRetryingDeadlocks(record));
          for (const outcome of batch) outcome.resolve();
        } catch (error) {
          for (const outcome of batch) outcome.reject(error);
        }
      }
    })().finally(() => {
      this.flushing = undefined;
    });
  }

  /** `410 Gone`: the receiver asks never to be called again (DESIGN.md); the endpoint is disabled, its backlog cancelled. */
  private async disableGone(delivery: LeasedDelivery): Promise<void> {
    const now = nowIso();
    await this.transactions.runRetryingDeadlocks(async (manager) => {
      await this.deliveries.complete(delivery.id, this.owner, { kind: 'failed', status: 410, error: null }, now, manager);
      await this.endpoints.disable(delivery.endpointId, 'gone', now, manager);
      await this.deliveries.cancelPending(delivery.endpointId, manager);
    });
    this.metrics.webhookAttempt('gone');
    this.logger.warn(`webhook endpoint ${delivery.endpointId} answered 410 Gone and is disabled`);
  }
}

/**
 * The read of `key` shared by a claim's attempts, started by the first that needs it. Each attempt
 * that needs it awaits it and reports its failure; one that ends early (its endpoint disabled
 * meanwhile) never awaits the events, whose failure must then not surface as an unhandled
 * rejection, which would stop the process.
 */
function sharedRead<T>(reads: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let shared = reads.get(key);
  if (shared === undefined) {
    shared = read();
    shared.catch(() => undefined);
    reads.set(key, shared);
  }
  return shared;
}
