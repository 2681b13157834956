import type { EntityManager } from 'typeorm';
import { runSql } from '../../src/database/run-sql.js';
import { TransactionRunner } from '../../src/database/transaction-runner.js';
import { isDeadlock } from '../../src/database/unique-violation.js';
import { rosterDataSource } from '../support/captured-sql.js';
import { describeOnPostgres } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

/** Resolves for everyone once `parties` have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) release();
    return all;
  };
}

// Only PostgreSQL runs transactions side by side, so only there can two of them deadlock.
describeOnPostgres('Transactions PostgreSQL fails to break a deadlock, on %s', (kind) => {
  let roster: RosterHarness;
  let runner: TransactionRunner;

  beforeAll(async () => {
    roster = await startRoster(kind);
    runner = roster.app.get(TransactionRunner);
    await rosterDataSource(roster).query('CREATE TABLE deadlock_probe (id integer PRIMARY KEY, n integer NOT NULL)');
  });
  afterAll(() => roster.close());
  beforeEach(async () => {
    await rosterDataSource(roster).query('DELETE FROM deadlock_probe');
    await rosterDataSource(roster).query('INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)');
  });

  /** Locks `first`, waits (on its first run only) until the other transaction holds its own first row, then locks `second`. */
  const crosswise = (runs: number[], index: number, first: number, second: number, bothHoldOne: () => Promise<void>) => async (manager: EntityManager) => {
    runs[index] += 1;
    await runSql(manager, 'UPDATE deadlock_probe SET n = n + 1 WHERE id = :id', { id: first });
    if (runs[index] === 1) await bothHoldOne();
    await runSql(manager, 'UPDATE deadlock_probe SET n = n + 1 WHERE id = :id', { id: second });
  };
  const counts = async (): Promise<number[]> =>
    (await rosterDataSource(roster).query<{ n: number }[]>('SELECT n FROM deadlock_probe ORDER BY id')).map((row) => Number(row.n));

  it('fails one of two transactions that lock two rows crosswise, when run once', async () => {
    const runs = [0, 0];
    const bothHoldOne = barrier(2);
    const outcomes = await Promise.allSettled([runner.run(crosswise(runs, 0, 1, 2, bothHoldOne)), runner.run(crosswise(runs, 1, 2, 1, bothHoldOne))]);
    const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(isDeadlock(failed[0].reason)).toBe(true);
    // The failed one's first update was rolled back with it.
    expect(await counts()).toEqual([1, 1]);
  });

  it('runs the failed one again, so that both commit, when retrying deadlocks', async () => {
    const runs = [0, 0];
    const bothHoldOne = barrier(2);
    await Promise.all([
      runner.runRetryingDeadlocks(crosswise(runs, 0, 1, 2, bothHoldOne)),
      runner.runRetryingDeadlocks(crosswise(runs, 1, 2, 1, bothHoldOne)),
    ]);
    expect(runs.reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(await counts()).toEqual([2, 2]);
  });
});
