import type { MigrationInterface, QueryRunner } from 'typeorm';
import { userValueRows } from './1764200000000-query-engine/user-value-rows.js';

const VALUE_COLUMNS = ['tenant_id', 'resource_id', 'attr', 'sub', 'element', 'key_prefix', 'text_key', 'num_value'];
// Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
const ROWS_PER_INSERT = 1000;

/**
 * The filter index of users (src/scim/query/indexed-values.ts): one row per attribute value, so
 * that every filter runs in the database. Text keys must compare by code point on both engines:
 * SQLite's default BINARY collation does; PostgreSQL needs the "C" collation spelt out, since a
 * database's default (en_US.UTF-8, say) orders linguistically and cannot serve prefix ranges.
 */
export class QueryEngine1764200000000 implements MigrationInterface {
  name = 'QueryEngine1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const collateC = queryRunner.connection.options.type === 'postgres' ? ' COLLATE "C"' : '';
    await queryRunner.query(`CREATE TABLE user_values (
      tenant_id varchar(36) NOT NULL,
      resource_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      attr varchar(200) NOT NULL,
      sub varchar(100) NOT NULL,
      element integer NOT NULL,
      key_prefix varchar(200)${collateC},
      text_key text${collateC},
      num_value double precision
    )`);
    // Finds values (eq, sw, ranges) and hands back the resource ids without visiting the table.
    await queryRunner.query(`CREATE INDEX ix_user_values_lookup ON user_values (tenant_id, attr, sub, key_prefix, resource_id)`);
    // Probes one resource's values: the correlated EXISTS of and-terms, value paths, sort keys,
    // and the DELETE before each rewrite. It leads with the tenant like the lookup index so that
    // SQLite, which has no statistics, sees more equality columns here and picks it: with
    // (resource_id, …) it preferred the lookup index and a write's DELETE walked every row of
    // the tenant (120 ms at 100,000 users).
    await queryRunner.query(`CREATE INDEX ix_user_values_resource ON user_values (tenant_id, resource_id, attr, sub, element)`);
    // Listing a tenant in id order (index and cursor pages) without touching deleted users.
    await queryRunner.query(`CREATE INDEX ix_users_live ON users (tenant_id, id) WHERE deleted_at IS NULL`);
    await this.backfill(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_users_live`);
    await queryRunner.query(`DROP TABLE user_values`);
  }

  /**
   * Users written before this migration get their rows, a batch at a time. The rows come from a
   * frozen copy of the index format of its time (./1764200000000-query-engine/), never from live
   * code, so that this migration does the same on every database whatever the code becomes.
   */
  private async backfill(queryRunner: QueryRunner): Promise<void> {
    let after = '';
    for (;;) {
      const batch = (await queryRunner.manager
        .createQueryBuilder()
        .select(['id', 'tenant_id', 'data'])
        .from('users', 'u')
        .where('id > :after', { after })
        .orderBy('id')
        .limit(500)
        .getRawMany()) as { id: string; tenant_id: string; data: string }[];
      if (batch.length === 0) return;
      const records = batch.flatMap((user) =>
        userValueRows(JSON.parse(user.data) as Record<string, unknown>, user.id).map((row) => ({
          tenant_id: user.tenant_id,
          resource_id: user.id,
          ...row,
        })),
      );
      for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
        await queryRunner.manager
          .createQueryBuilder()
          .insert()
          .into('user_values', VALUE_COLUMNS)
          .values(records.slice(start, start + ROWS_PER_INSERT))
          .execute();
      }
      after = batch[batch.length - 1].id;
    }
  }
}
