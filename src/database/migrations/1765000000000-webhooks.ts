import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and their deliveries (DESIGN.md "Events"). An endpoint remembers how far
 * into its tenant's event stream it has been fanned out (`fanned_out_seq`): the stream's
 * positions are gapless and in commit order (the events migration), so walking it from there
 * misses no event and repeats none, whichever replica does it. Each delivery is one event for
 * one endpoint; a replica attempts it only while it holds its lease (`lease_owner`,
 * `lease_until`), so one attempt is made by one replica, and a replica that dies leaves the
 * delivery to another once the lease runs out.
 *
 * The signing secrets are stored as they are, unlike connection secrets and tokens (hashed):
 * an HMAC needs the key itself to sign (Standard Webhooks 1.0). They are never answered after
 * creation or rotation, and never logged.
 */
export class Webhooks1765000000000 implements MigrationInterface {
  name = 'Webhooks1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE webhook_endpoints (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      url varchar(2048) NOT NULL,
      types text NOT NULL,
      description varchar(1024),
      enabled boolean NOT NULL,
      disabled_reason varchar(64),
      secret varchar(128) NOT NULL,
      previous_secret varchar(128),
      previous_secret_until varchar(24),
      fanned_out_seq bigint NOT NULL,
      created_at varchar(24) NOT NULL,
      updated_at varchar(24) NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX ix_webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at)`);

    await queryRunner.query(`CREATE TABLE webhook_deliveries (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      endpoint_id varchar(36) NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
      event_seq bigint NOT NULL,
      event_id varchar(36) NOT NULL,
      event_type varchar(64) NOT NULL,
      status varchar(16) NOT NULL,
      attempts integer NOT NULL,
      step integer NOT NULL,
      next_attempt_at varchar(24),
      lease_owner varchar(36),
      lease_until varchar(24),
      last_attempt_at varchar(24),
      last_status integer,
      last_error varchar(512),
      created_at varchar(24) NOT NULL,
      UNIQUE (endpoint_id, event_seq)
    )`);
    // The dispatchers' question: which pending deliveries are due.
    await queryRunner.query(`CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)`);
    // Delivery history per endpoint, newest first (the unique key above), and an endpoint's pending window.
    await queryRunner.query(`CREATE INDEX ix_webhook_deliveries_endpoint_status ON webhook_deliveries (endpoint_id, status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
  }
}
