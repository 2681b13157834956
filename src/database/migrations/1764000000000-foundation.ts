import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, API connections and their tokens. The SQL is written once for both engines: only
 * types that SQLite and PostgreSQL read alike (varchar, text), timestamps as ISO text.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE tenants (
      id varchar(36) PRIMARY KEY,
      slug varchar(63) NOT NULL,
      name varchar(200) NOT NULL,
      settings text NOT NULL,
      created_at varchar(24) NOT NULL,
      updated_at varchar(24) NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_tenants_slug ON tenants (slug)`);

    await queryRunner.query(`CREATE TABLE api_connections (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      name varchar(200) NOT NULL,
      client_id varchar(64) NOT NULL,
      secret_hash varchar(255) NOT NULL,
      scopes varchar(200) NOT NULL,
      allowed_cidrs text NOT NULL,
      created_at varchar(24) NOT NULL,
      revoked_at varchar(24)
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_api_connections_client_id ON api_connections (client_id)`);
    await queryRunner.query(`CREATE INDEX ix_api_connections_tenant ON api_connections (tenant_id, created_at)`);

    await queryRunner.query(`CREATE TABLE api_tokens (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      connection_id varchar(36) NOT NULL REFERENCES api_connections (id) ON DELETE CASCADE,
      kind varchar(16) NOT NULL,
      token_hash varchar(64) NOT NULL,
      scopes varchar(200) NOT NULL,
      created_at varchar(24) NOT NULL,
      expires_at varchar(24),
      revoked_at varchar(24)
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (token_hash)`);
    await queryRunner.query(`CREATE INDEX ix_api_tokens_connection ON api_tokens (tenant_id, connection_id)`);
    await queryRunner.query(`CREATE INDEX ix_api_tokens_expiry ON api_tokens (kind, expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_tokens`);
    await queryRunner.query(`DROP TABLE api_connections`);
    await queryRunner.query(`DROP TABLE tenants`);
  }
}
