import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SYSTEM_ROLES = ['owner', 'admin', 'writer', 'guest', 'client'];

/**
 * Users (the SCIM document plus the columns that are looked up, indexed and constrained) and the
 * per-tenant role catalog. Written once for both engines, like the foundation migration.
 */
export class UsersAndRoles1764100000000 implements MigrationInterface {
  name = 'UsersAndRoles1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE roles (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      name varchar(100) NOT NULL,
      name_key varchar(100) NOT NULL,
      description varchar(500),
      is_system boolean NOT NULL,
      created_at varchar(24) NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_roles_name ON roles (tenant_id, name_key)`);

    await queryRunner.query(`CREATE TABLE users (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_name varchar(256) NOT NULL,
      user_name_key varchar(512) NOT NULL,
      external_id varchar(1024),
      display_name varchar(256),
      active boolean NOT NULL,
      data text NOT NULL,
      password_hash varchar(255),
      version integer NOT NULL,
      created_at varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL,
      deleted_at varchar(24)
    )`);
    // Soft-deleted users keep their key: a POST of the same userName restores the row. No index on
    // deleted_at: without statistics PostgreSQL preferred it to the primary key for look-ups by id
    // (a scan of the whole tenant); purge, the one query by deleted_at, is a rare admin job.
    await queryRunner.query(`CREATE UNIQUE INDEX ux_users_user_name ON users (tenant_id, user_name_key)`);
    await queryRunner.query(`CREATE INDEX ix_users_external_id ON users (tenant_id, external_id)`);
    await queryRunner.query(`CREATE INDEX ix_users_last_modified ON users (tenant_id, last_modified, id)`);

    // One row per unique role held by an active user; its primary key makes a second holder fail.
    await queryRunner.query(`CREATE TABLE unique_role_holders (
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      role_key varchar(100) NOT NULL,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      PRIMARY KEY (tenant_id, role_key)
    )`);
    await queryRunner.query(`CREATE INDEX ix_unique_role_holders_user ON unique_role_holders (tenant_id, user_id)`);

    // Every role a live user holds directly: lets the catalog refuse to delete a role in use.
    await queryRunner.query(`CREATE TABLE user_roles (
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role_key varchar(100) NOT NULL,
      PRIMARY KEY (tenant_id, user_id, role_key),
      FOREIGN KEY (tenant_id, role_key) REFERENCES roles (tenant_id, name_key)
    )`);
    await queryRunner.query(`CREATE INDEX ix_user_roles_role ON user_roles (tenant_id, role_key)`);

    // Tenants created before the catalog existed get its system roles too.
    const tenants: { id: string }[] = await queryRunner.query(`SELECT id FROM tenants`);
    const now = new Date().toISOString();
    for (const tenant of tenants) {
      await queryRunner.manager
        .createQueryBuilder()
        .insert()
        .into('roles', ['id', 'tenant_id', 'name', 'name_key', 'description', 'is_system', 'created_at'])
        .values(
          SYSTEM_ROLES.map((role) => ({
            id: randomUUID(),
            tenant_id: tenant.id,
            name: role,
            name_key: role,
            description: null,
            is_system: true,
            created_at: now,
          })),
        )
        .execute();
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE user_roles`);
    await queryRunner.query(`DROP TABLE unique_role_holders`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE roles`);
  }
}
