import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_RETENTION_DAYS } from '../../domain/tenant-settings.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AuditRepository } from './audit.repository.js';
import { EventsRepository } from './events.repository.js';

const PURGE_EVERY_MS = 60 * 60 * 1000;
// Small statements: on SQLite each holds the only connection; a batch stays within a few ms.
const BATCH = 1000;

/**
 * Deletes events and audit entries older than each tenant's `retentionDays` (default 400), a
 * batch at a time, once an hour. Every replica may run it: deleting what is already gone is a
 * no-op.
 */
@Injectable()
export class EventsRetention implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tenants: TenantsService,
    private readonly events: EventsRepository,
    private readonly audit: AuditRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purge(new Date()).catch((error: unknown) => this.logger.error(`purge failed: ${String(error)}`)), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass over every tenant; how many events and audit entries it deleted. */
  async purge(now: Date): Promise<{ events: number; audit: number }> {
    let events = 0;
    let audit = 0;
    for (const tenant of await this.tenants.list()) {
      const days = tenant.settings.retentionDays ?? DEFAULT_RETENTION_DAYS;
      const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
      const id = asTenantId(tenant.id);
      for (let deleted = BATCH; deleted === BATCH; events += deleted) deleted = await this.events.purgeBefore(id, cutoff, BATCH);
      for (let deleted = BATCH; deleted === BATCH; audit += deleted) deleted = await this.audit.purgeBefore(id, cutoff, BATCH);
    }
    return { events, audit };
  }
}
