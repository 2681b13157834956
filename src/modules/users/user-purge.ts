import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { EventsRecorder } from '../events/events-recorder.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { UsersRepository } from './users.repository.js';

// Each batch is one transaction: on SQLite it holds the only connection, so it stays short.
const BATCH = 500;

/**
 * `POST /admin/tenants/{id}/purge`: hard-deletes users soft-deleted more than `olderThanDays`
 * ago, a batch per transaction, each purged user recorded as `user.purged` in the same
 * transaction (DESIGN.md "Events": the platform forgets them too).
 */
@Injectable()
export class UserPurge {
  constructor(
    private readonly tenants: TenantsService,
    private readonly transactions: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly events: EventsRecorder,
  ) {}

  async purge(tenant: TenantId, olderThanDays: number, now = new Date()): Promise<{ purged: number }> {
    await this.tenants.require(tenant);
    const cutoff = new Date(now.getTime() - olderThanDays * 86_400_000).toISOString();
    let purged = 0;
    for (let batch = BATCH; batch === BATCH; ) {
      batch = await this.transactions.run(async (manager) => {
        const doomed = await this.users.deletedBefore(tenant, cutoff, BATCH, manager);
        if (doomed.length === 0) return 0;
        await this.users.purge(tenant, doomed.map((user) => user.id), manager);
        await this.events.recordFacts(tenant, doomed.map((user) => ({ type: 'user.purged', resource: { type: 'User', id: user.id, version: user.version } })), manager);
        return doomed.length;
      });
      purged += batch;
    }
    return { purged };
  }
}
