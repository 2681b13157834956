import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scoped admin keys (DESIGN.md "Admin API"): stored as SHA-256 hashes of 256 random bits, revocable, optionally bound to a tenant. */
export class AdminKeys1764700000000 implements MigrationInterface {
  name = 'AdminKeys1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE admin_keys (
      id varchar(36) PRIMARY KEY,
      name varchar(200) NOT NULL,
      key_hash varchar(64) NOT NULL,
      scopes varchar(200) NOT NULL,
      tenant_id varchar(36) REFERENCES tenants (id) ON DELETE CASCADE,
      created_at varchar(24) NOT NULL,
      revoked_at varchar(24)
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_admin_keys_hash ON admin_keys (key_hash)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE admin_keys`);
  }
}
