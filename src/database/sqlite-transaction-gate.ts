import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

/** How long a transaction may hold the event loop before its next statement waits for a loop turn. */
export const TRANSACTION_TURN_MS = 10;

interface QueryRunnerWithQuery {
  query(...args: unknown[]): Promise<unknown>;
}

interface OpenTransaction {
  readonly owner: symbol;
  readonly done: Promise<void>;
}

/**
 * Lets a SQLite transaction give the event loop back between its statements without anyone else
 * running SQL inside it.
 *
 * better-sqlite3 runs every statement on the loop, and TypeORM runs all of a data source's SQL on
 * one connection through one query runner. A transaction therefore held the loop from BEGIN to
 * COMMIT: a PATCH adding 1,000 members to a group at 100,000 users held it for about 100 ms
 * (issue 15's stall goal is 50 ms). Yielding between statements alone would have let other
 * requests' queries run on that connection inside the open transaction, seeing its uncommitted
 * rows and, for writes, joining its fate.
 *
 * So, while a transaction is open, a query from outside it (told apart by the async context its
 * work runs in) waits until the transaction ends, and the transaction's own statements wait for a
 * loop turn once it has held the loop for TRANSACTION_TURN_MS. The hot reads are not held up:
 * they run on a connection of their own, which reads the last committed state
 * (sqlite-read-connection.ts). Installed only where that read connection exists (a file in WAL
 * mode); transactions never overlap, since TransactionRunner queues them.
 */
export class SqliteTransactionGate {
  private readonly context = new AsyncLocalStorage<symbol>();
  private open: OpenTransaction | undefined;
  private turnStarted = 0;

  constructor(dataSource: DataSource) {
    // TypeORM's SQLite drivers hand out one query runner for the whole data source.
    const runner = dataSource.driver.createQueryRunner('master') as unknown as QueryRunnerWithQuery;
    const query = runner.query.bind(runner);
    runner.query = async (...args: unknown[]): Promise<unknown> => {
      if (this.open !== undefined) await this.turnFor(this.context.getStore());
      return query(...args);
    };
  }

  /** Runs one transaction's work as the gate's owner until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const owner = Symbol('transaction');
    let finish = (): void => undefined;
    this.open = { owner, done: new Promise<void>((resolve) => (finish = resolve)) };
    this.turnStarted = performance.now();
    try {
      return await this.context.run(owner, work);
    } finally {
      this.open = undefined;
      finish();
    }
  }

  private async turnFor(caller: symbol | undefined): Promise<void> {
    for (let open = this.open; open !== undefined && open.owner !== caller; open = this.open) await open.done;
    if (this.open === undefined || performance.now() - this.turnStarted < TRANSACTION_TURN_MS) return;
    await nextLoopTurn();
    this.turnStarted = performance.now();
  }
}
