import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups (the provisioning face of roles), their members and their filter index. Membership is
 * its own table keyed by (tenant, group, member), so adding or removing members is a set
 * operation whose cost is the number of members changed, never the size of the group.
 */
export class Groups1764300000000 implements MigrationInterface {
  name = 'Groups1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const collateC = queryRunner.connection.options.type === 'postgres' ? ' COLLATE "C"' : '';
    await queryRunner.query(`CREATE TABLE groups (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      display_name varchar(256) NOT NULL,
      display_name_key varchar(512) NOT NULL,
      role_key varchar(100) NOT NULL,
      data text NOT NULL,
      version integer NOT NULL,
      created_at varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL,
      FOREIGN KEY (tenant_id, role_key) REFERENCES roles (tenant_id, name_key)
    )`);
    // displayName is unique per tenant, case-insensitively (folded in code, like userName).
    await queryRunner.query(`CREATE UNIQUE INDEX ux_groups_display_name ON groups (tenant_id, display_name_key)`);
    await queryRunner.query(`CREATE INDEX ix_groups_role ON groups (tenant_id, role_key)`);
    await queryRunner.query(`CREATE INDEX ix_groups_last_modified ON groups (tenant_id, last_modified, id)`);
    await queryRunner.query(`CREATE INDEX ix_groups_tenant ON groups (tenant_id, id)`);

    await queryRunner.query(`CREATE TABLE group_members (
      tenant_id varchar(36) NOT NULL,
      group_id varchar(36) NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      member_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      PRIMARY KEY (tenant_id, group_id, member_id)
    )`);
    // A user's groups (its readOnly "groups" attribute, effective roles, soft delete).
    await queryRunner.query(`CREATE INDEX ix_group_members_member ON group_members (tenant_id, member_id, group_id)`);

    await queryRunner.query(`CREATE TABLE group_values (
      tenant_id varchar(36) NOT NULL,
      resource_id varchar(36) NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      attr varchar(200) NOT NULL,
      sub varchar(100) NOT NULL,
      element integer NOT NULL,
      key_prefix varchar(200)${collateC},
      text_key text${collateC},
      num_value double precision
    )`);
    await queryRunner.query(`CREATE INDEX ix_group_values_lookup ON group_values (tenant_id, attr, sub, key_prefix, resource_id)`);
    await queryRunner.query(`CREATE INDEX ix_group_values_resource ON group_values (tenant_id, resource_id, attr, sub, element)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE group_values`);
    await queryRunner.query(`DROP TABLE group_members`);
    await queryRunner.query(`DROP TABLE groups`);
  }
}
