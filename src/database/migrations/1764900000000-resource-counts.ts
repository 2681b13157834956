import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Resource tables and what makes a row live (users are soft-deleted). */
const COUNTED = [
  { table: 'users', live: 'deleted_at IS NULL' },
  { table: 'groups', live: '1 = 1' },
  { table: 'libraries', live: '1 = 1' },
] as const;

/**
 * Each tenant's number of live resources per table, for `totalResults` of an unfiltered list
 * without counting the tenant on every page (7–9 ms on SQLite, 16 ms on PostgreSQL at 100,000
 * users). The write path keeps it in the transaction of every create, restore and delete
 * (src/database/query/resource-counts.ts); this migration fills it from the rows there are.
 */
export class ResourceCounts1764900000000 implements MigrationInterface {
  name = 'ResourceCounts1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE resource_counts (
      tenant_id varchar(36) NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      resource_table varchar(64) NOT NULL,
      live bigint NOT NULL,
      PRIMARY KEY (tenant_id, resource_table)
    )`);
    for (const { table, live } of COUNTED) {
      await queryRunner.query(
        `INSERT INTO resource_counts (tenant_id, resource_table, live) SELECT tenant_id, '${table}', COUNT(*) FROM ${table} WHERE ${live} GROUP BY tenant_id`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE resource_counts`);
  }
}
