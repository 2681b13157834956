import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Libraries (the platform's content libraries, a resource type of Roster's own), their filter
 * index, and the grants of them to users and groups. Grants are tables keyed by (tenant,
 * library, holder), so granting or revoking one library for one holder touches that holder's
 * rows only, never a library's other holders.
 */
export class Libraries1764400000000 implements MigrationInterface {
  name = 'Libraries1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const collateC = queryRunner.connection.options.type === 'postgres' ? ' COLLATE "C"' : '';
    await queryRunner.query(`CREATE TABLE libraries (
      id varchar(36) PRIMARY KEY,
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      display_name varchar(256) NOT NULL,
      display_name_key varchar(512) NOT NULL,
      data text NOT NULL,
      version integer NOT NULL,
      created_at varchar(24) NOT NULL,
      last_modified varchar(24) NOT NULL
    )`);
    // displayName is unique per tenant, case-insensitively (folded in code, like a group's).
    await queryRunner.query(`CREATE UNIQUE INDEX ux_libraries_display_name ON libraries (tenant_id, display_name_key)`);
    await queryRunner.query(`CREATE INDEX ix_libraries_last_modified ON libraries (tenant_id, last_modified, id)`);
    await queryRunner.query(`CREATE INDEX ix_libraries_tenant ON libraries (tenant_id, id)`);

    await queryRunner.query(`CREATE TABLE library_values (
      tenant_id varchar(36) NOT NULL,
      resource_id varchar(36) NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
      attr varchar(200) NOT NULL,
      sub varchar(100) NOT NULL,
      element integer NOT NULL,
      key_prefix varchar(200)${collateC},
      text_key text${collateC},
      num_value double precision
    )`);
    await queryRunner.query(`CREATE INDEX ix_library_values_lookup ON library_values (tenant_id, attr, sub, key_prefix, resource_id)`);
    await queryRunner.query(`CREATE INDEX ix_library_values_resource ON library_values (tenant_id, resource_id, attr, sub, element)`);

    for (const holder of ['user', 'group'] as const) {
      const holders = holder === 'user' ? 'users' : 'groups';
      await queryRunner.query(`CREATE TABLE ${holder}_library_grants (
        tenant_id varchar(36) NOT NULL,
        library_id varchar(36) NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
        ${holder}_id varchar(36) NOT NULL REFERENCES ${holders} (id) ON DELETE CASCADE,
        PRIMARY KEY (tenant_id, library_id, ${holder}_id)
      )`);
      // A holder's grants (its answer, effective access, rewriting them on a write).
      await queryRunner.query(`CREATE INDEX ix_${holder}_library_grants_holder ON ${holder}_library_grants (tenant_id, ${holder}_id, library_id)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE group_library_grants`);
    await queryRunner.query(`DROP TABLE user_library_grants`);
    await queryRunner.query(`DROP TABLE library_values`);
    await queryRunner.query(`DROP TABLE libraries`);
  }
}
