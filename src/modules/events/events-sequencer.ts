import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { EventsRepository } from './events.repository.js';

const BATCH = 1000;
/** How often a replica looks for events left pending (a replica that died between a commit and its sequencing). */
const SWEEP_EVERY_MS = 1000;

/**
 * Gives committed events their stream positions on PostgreSQL (the pending-events migration).
 * Every write runs it for its tenant right after its commit and before its answer, so the pull
 * API shows a write's events once the write is acknowledged. Concurrent writes of a tenant wait
 * here only for each other's short sequencing transactions, one of which moves all their events
 * at once, instead of for each other's commits. A sweep picks up what a crash left behind.
 * On SQLite events are positioned in their own transaction and there is nothing to do.
 */
@Injectable()
export class EventsSequencer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Events');
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly events: EventsRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  onModuleInit(): void {
    if (!this.events.sequencesAfterCommit) return;
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Positions the tenant's committed pending events. Never throws: the write it follows is
   * committed whatever happens here, and the sweep positions what this could not.
   */
  async afterCommit(tenant: TenantId): Promise<void> {
    if (!this.events.sequencesAfterCommit) return;
    try {
      await this.sequence(tenant);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`events not positioned yet (the sweep retries every ${SWEEP_EVERY_MS} ms): ${String(error)}`);
      this.failing = true;
    }
  }

  private async sequence(tenant: TenantId): Promise<void> {
    for (let moved = BATCH; moved === BATCH; ) moved = await this.transactions.run((manager) => this.events.sequencePending(tenant, BATCH, manager));
  }

  private async sweep(): Promise<void> {
    try {
      for (const tenant of await this.events.tenantsWithPending(100)) await this.sequence(tenant);
    } catch {
      // The database is away: afterCommit and readiness report it; the next sweep tries again.
    }
  }
}
