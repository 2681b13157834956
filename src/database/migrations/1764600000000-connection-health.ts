import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What support reads of a connection's health: when it was last used (written at most once a
 * minute per replica), and its writes in the audit log by actor and time.
 */
export class ConnectionHealth1764600000000 implements MigrationInterface {
  name = 'ConnectionHealth1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_connections ADD COLUMN last_used_at varchar(24)`);
    await queryRunner.query(`CREATE INDEX ix_audit_actor ON audit_entries (tenant_id, actor_id, occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_audit_actor`);
    await queryRunner.query(`ALTER TABLE api_connections DROP COLUMN last_used_at`);
  }
}
