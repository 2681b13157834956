import type { DataSource, EntityManager } from 'typeorm';
import { runSql, runSqlChanging } from '../../src/database/run-sql.js';
import { isUniqueViolation } from '../../src/database/unique-violation.js';
import { createTenantWithConnection } from '../support/bootstrap.js';
import { rosterDataSource } from '../support/captured-sql.js';
import { type DatabaseKind, databaseKinds, describeOnPostgres } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

/** The statements the connection of `manager`'s transaction holds prepared (PostgreSQL shows only a session's own). */
async function preparedOnThisConnection(dataSource: DataSource, work: (run: typeof runSql, manager: EntityManager) => Promise<void>): Promise<string[]> {
  return dataSource.transaction(async (manager) => {
    await work(runSql, manager);
    const rows = (await manager.query('SELECT statement FROM pg_prepared_statements')) as { statement: string }[];
    return rows.map((row) => row.statement);
  });
}

/**
 * The hand-written SQL of writes, events and webhooks (runSql) runs on PostgreSQL as named
 * statements, which a backend plans once per connection instead of at every execution (issue 15).
 * Nothing else may change: the same rows, the same counts, the same errors on both engines.
 */
/** What a suite's tests run SQL on: the service's data source and one tenant of it. */
interface ServiceWithTenant {
  dataSource: DataSource;
  tenant: string;
}

/** The service on `kind` with one tenant, for the SQL run straight on its data source; filled before the suite's tests, closed after. */
function serviceWithTenant(kind: DatabaseKind): ServiceWithTenant {
  let roster: RosterHarness;
  const service = {} as ServiceWithTenant;
  beforeAll(async () => {
    roster = await startRoster(kind);
    service.tenant = (await createTenantWithConnection(roster.http)).tenantId;
    service.dataSource = rosterDataSource(roster);
  });
  afterAll(() => roster.close());
  return service;
}

describe.each(databaseKinds())('hand-written SQL (runSql) on %s', (kind) => {
  const service = serviceWithTenant(kind);

  it('answers the same rows and counts each time a statement runs again', async () => {
    const { dataSource, tenant } = service;
    const insert = `INSERT INTO resource_counts (tenant_id, resource_table, live) VALUES (:tenant, :table, :live)`;
    await runSql(dataSource.manager, insert, { tenant, table: 'named_a', live: 3 });
    await runSql(dataSource.manager, insert, { tenant, table: 'named_b', live: 5 });
    const select = `SELECT resource_table, live FROM resource_counts WHERE tenant_id = :tenant AND resource_table LIKE :prefix ORDER BY resource_table`;
    for (let i = 0; i < 3; i++) {
      const rows = await runSql<{ resource_table: string; live: number | string }>(dataSource.manager, select, { tenant, prefix: 'named_%' });
      expect(rows.map((row) => [row.resource_table, Number(row.live)])).toEqual([
        ['named_a', 3],
        ['named_b', 5],
      ]);
    }
    const changed = await runSqlChanging(dataSource.manager, `UPDATE resource_counts SET live = live + 1 WHERE tenant_id = :tenant AND resource_table LIKE :prefix`, { tenant, prefix: 'named_%' });
    expect(changed.affected).toBe(2);
    const removed = await runSqlChanging<{ resource_table: string }>(
      dataSource.manager,
      `DELETE FROM resource_counts WHERE tenant_id = :tenant AND resource_table = :table RETURNING resource_table`,
      { tenant, table: 'named_a' },
    );
    expect(removed).toEqual({ records: [{ resource_table: 'named_a' }], affected: 1 });
    const left = await runSql<{ live: number | string }>(dataSource.manager, select, { tenant, prefix: 'named_%' });
    expect(left.map((row) => Number(row.live))).toEqual([6]);
  });

  it('fails a unique violation as the QueryFailedError the services recognise, and runs the statement again afterwards', async () => {
    const { dataSource, tenant } = service;
    const insert = `INSERT INTO resource_counts (tenant_id, resource_table, live) VALUES (:tenant, :table, 1)`;
    await runSql(dataSource.manager, insert, { tenant, table: 'named_unique' });
    const failure = await runSql(dataSource.manager, insert, { tenant, table: 'named_unique' }).catch((error: unknown) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    // Inside a transaction too: the failure rolls it back, nothing of it is kept.
    const inTransaction = await dataSource
      .transaction(async (manager) => {
        await runSql(manager, insert, { tenant, table: 'named_rolled_back' });
        await runSql(manager, insert, { tenant, table: 'named_unique' });
      })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(inTransaction)).toBe(true);
    await runSql(dataSource.manager, insert, { tenant, table: 'named_after' });
    const rows = await runSql<{ resource_table: string }>(dataSource.manager, `SELECT resource_table FROM resource_counts WHERE tenant_id = :tenant AND resource_table LIKE :prefix ORDER BY resource_table`, {
      tenant,
      prefix: 'named_%',
    });
    expect(rows.map((row) => row.resource_table)).toEqual(expect.arrayContaining(['named_after', 'named_unique']));
    expect(rows.map((row) => row.resource_table)).not.toContain('named_rolled_back');
  });
});

describeOnPostgres('hand-written SQL as named statements', (kind) => {
  const service = serviceWithTenant(kind);

  it("keeps a transaction's statement prepared on its connection, under one name for one text", async () => {
    const { dataSource, tenant } = service;
    const text = 'SELECT live FROM resource_counts WHERE tenant_id = :tenant AND resource_table = :table';
    const prepared = await preparedOnThisConnection(dataSource, async (run, manager) => {
      await run(manager, text, { tenant, table: 'users' });
      await run(manager, text, { tenant, table: 'groups' });
    });
    const sent = 'SELECT live FROM resource_counts WHERE tenant_id = $1 AND resource_table = $2';
    expect(prepared.filter((statement) => statement === sent)).toHaveLength(1);
  });

  it('leaves a batch of more than 16 bound values unnamed: its texts vary with its length', async () => {
    const { dataSource, tenant } = service;
    const tables = Array.from({ length: 17 }, (_, i) => `batch_${i}`);
    const params: Record<string, unknown> = { tenant };
    const list = tables.map((table, i) => ((params[`t${i}`] = table), `:t${i}`)).join(', ');
    const prepared = await preparedOnThisConnection(dataSource, async (run, manager) => {
      await run(manager, `SELECT resource_table FROM resource_counts WHERE tenant_id = :tenant AND resource_table IN (${list})`, params);
    });
    expect(prepared.some((statement) => statement.includes('resource_table IN ($2, $3'))).toBe(false);
  });
});
