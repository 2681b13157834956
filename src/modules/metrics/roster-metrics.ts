import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { HttpRequestSeries } from './http-request-series.js';
import type { ScimOperation } from './scim-operation.js';

/** What pg's Pool tells about itself (TypeORM keeps it as the PostgreSQL driver's `master`). */
interface PgPoolFigures {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options?: { readonly max?: number };
}

export type RateLimitKind = 'scim_read' | 'scim_write' | 'token';

/**
 * The Prometheus series of DESIGN.md "Operations", in a registry of this app's own (not
 * prom-client's global one), so that a host app's metrics and two Roster apps in one process
 * never collide. Labels are bounded sets: route templates, methods, statuses, resource types;
 * never a tenant, an id or a raw URL (cardinality, and ids are not the operator's business).
 */
@Injectable()
export class RosterMetrics implements OnModuleInit {
  readonly registry = new Registry();

  /** Requests by route, method and status, and their latency: written by hand at each scrape (http-request-series.ts says why). */
  private readonly http = new HttpRequestSeries();

  private readonly scimOperations = new Counter({
    name: 'roster_scim_operations_total',
    help: 'SCIM operations (bulk operations each count), by resource type, operation and outcome.',
    labelNames: ['resource_type', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: 'roster_rate_limited_requests_total',
    help: 'Requests refused with 429, by the limit they hit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  private readonly rateLimitPerReplica = new Gauge({
    name: 'roster_rate_limit_per_replica',
    help: '1 while Redis cannot be reached and rate limits are counted by this replica alone, else 0.',
    registers: [this.registry],
  });

  private readonly webhookAttempts = new Counter({
    name: 'roster_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: succeeded, retry (failed, tried again later), failed (given up), gone (410: endpoint disabled).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly webhookLag = new Histogram({
    name: 'roster_webhook_delivery_lag_seconds',
    help: 'Time from an event being recorded to its successful delivery.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86_400],
    registers: [this.registry],
  });

  private pendingDeliveries: (() => Promise<number>) | undefined;

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {
    const pendingDeliveries = (): Promise<number | undefined> => this.pendingDeliveries?.() ?? Promise.resolve(undefined);
    new Gauge({
      name: 'roster_webhook_deliveries_pending',
      help: 'Webhook deliveries waiting for a (next) attempt, across all tenants: the event backlog of webhooks.',
      registers: [this.registry],
      async collect() {
        // A scrape during a database outage still answers, without this series' new value.
        const count = await pendingDeliveries().catch(() => undefined);
        if (count !== undefined) this.set(count);
      },
    });
  }

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry });
    const dataSource = this.dataSource;
    new Gauge({
      name: 'roster_db_pool_connections',
      help: 'Database connections by state (PostgreSQL pool: total, idle, waiting clients; SQLite: one connection).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = poolOf(dataSource);
        if (pool === null) {
          this.set({ state: 'total' }, dataSource.isInitialized ? 1 : 0);
          return;
        }
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'roster_db_pool_max_connections',
      help: 'The most connections the database pool opens.',
      registers: [this.registry],
      collect() {
        const pool = poolOf(dataSource);
        this.set(pool === null ? 1 : (pool.options?.max ?? 10));
      },
    });
  }

  observeHttp(route: string, method: string, status: number, seconds: number): void {
    this.http.observe(route, method, status, seconds);
    if (status === 429) this.rateLimited.inc({ limit: rateLimitOf(route, method) });
  }

  setRateLimitPerReplica(perReplica: boolean): void {
    this.rateLimitPerReplica.set(perReplica ? 1 : 0);
  }

  /** Where the pending-deliveries gauge reads its figure at each scrape. */
  observePendingDeliveries(count: () => Promise<number>): void {
    this.pendingDeliveries = count;
  }

  webhookAttempt(outcome: 'succeeded' | 'retry' | 'failed' | 'gone'): void {
    this.webhookAttempts.inc({ outcome });
  }

  webhookDelivered(lagSeconds: number): void {
    this.webhookLag.observe(Math.max(0, lagSeconds));
  }

  countScimOperation(operation: ScimOperation): void {
    this.scimOperations.inc({ resource_type: operation.resourceType, operation: operation.operation, outcome: operation.outcome });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition text in pieces, never joined into one string (text-pieces.ts says why): the
   * HTTP series first, as when they were the registry's first metrics, then the registry's.
   */
  async scrape(): Promise<string[]> {
    const registry = await this.registry.metrics();
    return [...this.http.exposition(), '\n\n', registry];
  }
}

function poolOf(dataSource: DataSource): PgPoolFigures | null {
  if (dataSource.options.type !== 'postgres') return null;
  const master = (dataSource.driver as unknown as { master?: PgPoolFigures }).master;
  return master ?? null;
}

/** Which limit a 429 came from: the token endpoint's failed attempts, or the tenant's reads or writes (RFC 7644 §3.4.3: POST .search reads). */
function rateLimitOf(route: string, method: string): RateLimitKind {
  if (route.startsWith('/oauth')) return 'token';
  if (method === 'GET' || method === 'HEAD' || route.endsWith('/.search')) return 'scim_read';
  return 'scim_write';
}
