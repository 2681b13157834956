import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of change events and the audit log. An event row is written in the transaction of
 * the change it describes, at its end, and takes its position (`seq`) from the tenant's row in
 * `stream_positions`: that row stays locked until the transaction ends, so a second writer of
 * the tenant gets the next position only after the first committed (or rolled back, giving its
 * positions back). Positions are therefore in commit order without gaps, and a reader paging by
 * `seq` never passes a position that a later commit could still fill. A row id or a timestamp
 * taken before commit would not do: a transaction with a smaller one can commit later.
 */
export class Events1764500000000 implements MigrationInterface {
  name = 'Events1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE stream_positions (
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      stream varchar(16) NOT NULL,
      last_seq bigint NOT NULL,
      PRIMARY KEY (tenant_id, stream)
    )`);
    await queryRunner.query(`CREATE TABLE events (
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      seq bigint NOT NULL,
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
      PRIMARY KEY (tenant_id, seq)
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_events_event_id ON events (event_id)`);
    // Retention purges by age.
    await queryRunner.query(`CREATE INDEX ix_events_occurred ON events (tenant_id, occurred_at)`);

    await queryRunner.query(`CREATE TABLE audit_entries (
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      seq bigint NOT NULL,
      occurred_at varchar(24) NOT NULL,
      kind varchar(16) NOT NULL,
      type varchar(64) NOT NULL,
      actor_type varchar(16) NOT NULL,
      actor_id varchar(64) NOT NULL,
      request_id varchar(64) NOT NULL,
      client_ip varchar(64),
      resource_type varchar(32),
      resource_id varchar(36),
      event_id varchar(36),
      status integer,
      scim_type varchar(32),
      detail text,
      method varchar(10),
      path varchar(512),
      PRIMARY KEY (tenant_id, seq)
    )`);
    await queryRunner.query(`CREATE INDEX ix_audit_occurred ON audit_entries (tenant_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX ix_audit_resource ON audit_entries (tenant_id, resource_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_entries`);
    await queryRunner.query(`DROP TABLE events`);
    await queryRunner.query(`DROP TABLE stream_positions`);
  }
}
