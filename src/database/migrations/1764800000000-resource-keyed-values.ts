import type { MigrationInterface, QueryRunner } from 'typeorm';

const VALUES_TABLES = ['user_values', 'group_values', 'library_values'] as const;

/**
 * The filter index's per-resource index leads with the resource instead of the tenant. With
 * both of a values table's indexes leading with the tenant, PostgreSQL without statistics
 * (a tenant fresh from its first sync) estimates one row for any tenant-leading scan and may
 * answer `userName eq "x"` from this index, walking every row of the tenant once per user.
 * Keyed by resource, it can serve only statements that name a resource, and the lookup index
 * (tenant, attr, sub, key_prefix, resource_id) is the only one a value lookup can use.
 */
export class ResourceKeyedValues1764800000000 implements MigrationInterface {
  name = 'ResourceKeyedValues1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of VALUES_TABLES) {
      await queryRunner.query(`DROP INDEX ix_${table}_resource`);
      await queryRunner.query(`CREATE INDEX ix_${table}_resource ON ${table} (resource_id, attr, sub, element)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of VALUES_TABLES) {
      await queryRunner.query(`DROP INDEX ix_${table}_resource`);
      await queryRunner.query(`CREATE INDEX ix_${table}_resource ON ${table} (tenant_id, resource_id, attr, sub, element)`);
    }
  }
}
