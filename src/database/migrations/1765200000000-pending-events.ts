import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * On PostgreSQL a write's events first land in `pending_events`, in the write's own transaction
 * and without any tenant-wide lock; right after its commit a sequencer moves the tenant's pending
 * events into `events` under the tenant's stream position, a batch at a time (events-sequencer.ts).
 * Positions are then given only to committed events, in the order the sequencer finds them, so a
 * reader paging by position still never misses an event, while a tenant's writes no longer wait
 * for each other's commits. (SQLite runs one transaction at a time and keeps writing to `events`
 * directly; the table exists there too, empty.)
 */
export class PendingEvents1765200000000 implements MigrationInterface {
  name = 'PendingEvents1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = queryRunner.connection.options.type === 'postgres' ? 'id bigserial PRIMARY KEY' : 'id integer PRIMARY KEY AUTOINCREMENT';
    await queryRunner.query(`CREATE TABLE pending_events (
      ${id},
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      event_id varchar(36) NOT NULL,
      type varchar(64) NOT NULL,
      occurred_at varchar(24) NOT NULL,
      actor_type varchar(16) NOT NULL,
      actor_id varchar(64) NOT NULL,
      request_id varchar(64) NOT NULL,
      resource_type varchar(32) NOT NULL,
      resource_id varchar(36) NOT NULL,
      resource_version integer,
      data text NOT NULL,
      client_ip varchar(64)
    )`);
    await queryRunner.query(`CREATE INDEX ix_pending_events_tenant ON pending_events (tenant_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pending_events`);
  }
}
