import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { addSeconds, nowIso } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import { isEventType } from '../events/event-types.js';
import { decodePosition, encodePosition } from '../events/event.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { WebhookDeliveryView } from './webhook-delivery.js';
import type { WebhookEndpointView, WebhookEndpointWithSecret } from './webhook-endpoint.js';
import { type EndpointChanges, toEndpointView, WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { mintSigningSecret } from './webhook-secret.js';
import { targetUrlProblem } from './webhook-target.js';

export interface NewEndpointInput {
  readonly url: string;
  readonly types?: readonly string[];
  readonly description?: string;
}

export interface DeliveriesPage {
  readonly data: WebhookDeliveryView[];
  readonly nextCursor: string | null;
}

/** How long the previous secret keeps signing after a rotation unless the request says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;

/** The admin API of webhooks (DESIGN.md "Admin API"): endpoints, secrets, delivery history and retries. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    private readonly transactions: TransactionRunner,
    private readonly tenants: TenantsService,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  async create(tenant: TenantId, input: NewEndpointInput): Promise<WebhookEndpointWithSecret> {
    await this.tenants.require(tenant);
    this.checkUrl(input.url);
    const types = checkedTypes(input.types ?? []);
    const id = randomUUID();
    const secret = mintSigningSecret();
    await this.transactions.run((manager) => this.endpoints.insert({ id, tenantId: tenant, url: input.url, types, description: input.description ?? null, secret, now: nowIso() }, manager));
    return { ...(await this.view(tenant, id)), secret };
  }

  async list(tenant: TenantId): Promise<WebhookEndpointView[]> {
    await this.tenants.require(tenant);
    const now = nowIso();
    return (await this.endpoints.list(tenant)).map((row) => toEndpointView(row, now));
  }

  async view(tenant: TenantId, id: string): Promise<WebhookEndpointView> {
    await this.tenants.require(tenant);
    const row = await this.endpoints.find(tenant, id);
    if (row === undefined) throw ScimError.notFound('Webhook', id);
    return toEndpointView(row, nowIso());
  }

  /** Disabling cancels the pending deliveries; re-enabling sends the events committed from then on. */
  async update(tenant: TenantId, id: string, changes: EndpointChanges): Promise<WebhookEndpointView> {
    await this.view(tenant, id);
    if (changes.url !== undefined) this.checkUrl(changes.url);
    const types = changes.types === undefined ? undefined : checkedTypes(changes.types);
    // Cancelling locks the endpoint's pending deliveries, which attempts being recorded lock too.
    await this.transactions.runRetryingDeadlocks(async (manager) => {
      await this.endpoints.update(tenant, id, { ...changes, ...(types === undefined ? {} : { types }) }, nowIso(), manager);
      if (changes.enabled === false) await this.deliveries.cancelPending(id, manager);
    });
    return this.view(tenant, id);
  }

  async delete(tenant: TenantId, id: string): Promise<void> {
    await this.view(tenant, id);
    // Its deliveries go with it, rows that attempts being recorded lock too.
    await this.transactions.runRetryingDeadlocks((manager) => this.endpoints.delete(tenant, id, manager));
  }

  /** A new secret, shown once; the previous one goes on signing (a second signature) for the grace period. */
  async rotateSecret(tenant: TenantId, id: string, graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS): Promise<WebhookEndpointWithSecret> {
    await this.view(tenant, id);
    const secret = mintSigningSecret();
    const now = nowIso();
    await this.transactions.run((manager) => this.endpoints.rotate(tenant, id, secret, addSeconds(now, graceSeconds), now, manager));
    return { ...(await this.view(tenant, id)), secret };
  }

  /** The endpoint's deliveries, newest event first; `before` is a nextCursor from an earlier page. */
  async deliveriesOf(tenant: TenantId, id: string, before: string | undefined, limit: number): Promise<DeliveriesPage> {
    await this.view(tenant, id);
    const position = before === undefined || before === '' ? undefined : decodePosition(before);
    if (before !== undefined && before !== '' && position === undefined) throw ScimError.invalidValue('"before" is not a cursor this service handed out.');
    const rows = await this.deliveries.history(tenant, id, position, limit);
    const last = rows[rows.length - 1];
    return { data: rows.map(({ position: _position, ...view }) => view), nextCursor: rows.length === limit && last !== undefined ? encodePosition(last.position) : null };
  }

  /** Sends a delivery again now (from the start of the retry schedule), whatever became of it. */
  async retry(tenant: TenantId, id: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const endpoint = await this.view(tenant, id);
    if (!endpoint.enabled) throw new ScimError(409, 'The webhook endpoint is disabled; enable it before retrying its deliveries.');
    return this.transactions.run(async (manager) => {
      if ((await this.deliveries.find(tenant, id, deliveryId, manager)) === undefined) throw ScimError.notFound('Delivery', deliveryId);
      await this.deliveries.requeue(tenant, id, deliveryId, nowIso(), manager);
      const requeued = await this.deliveries.find(tenant, id, deliveryId, manager);
      if (requeued === undefined) throw ScimError.notFound('Delivery', deliveryId);
      return requeued;
    });
  }

  private checkUrl(url: string): void {
    const problem = targetUrlProblem(url, { allowPrivateTargets: this.options.webhooks.allowPrivateTargets });
    if (problem !== undefined) throw ScimError.invalidValue(problem);
  }
}

function checkedTypes(types: readonly string[]): string[] {
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length > 0) throw ScimError.invalidValue(`Unknown event types: ${unknown.slice(0, 5).join(', ')}.`);
  return [...new Set(types)].sort();
}
