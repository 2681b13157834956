import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';
import { LoopTurnQueue } from './loop-turn-queue.js';
import { isDeadlock } from './unique-violation.js';
import { isSqliteWalFile } from './sqlite-read-connection.js';
import { SqliteTransactionGate } from './sqlite-transaction-gate.js';

/** How often a transaction PostgreSQL failed to break a deadlock is tried in all. */
const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs work in one database transaction. better-sqlite3 has a single connection, on which two
 * interleaved transactions would collide ("cannot start a transaction within a transaction"),
 * so on SQLite transactions queue up one after the other; PostgreSQL runs them side by side
 * and relies on its row locks and unique indexes. Each SQLite transaction starts on a loop turn
 * of its own (loop-turn-queue.ts): ten concurrent POST /Users otherwise held the loop for up to
 * 200 ms at 100,000 users (issue 15). On a SQLite file, a long transaction also gives the loop
 * back between its statements, while other SQL on its connection waits (sqlite-transaction-gate.ts).
 */
@Injectable()
export class TransactionRunner {
  private readonly queue = new LoopTurnQueue();
  private readonly gate: SqliteTransactionGate | undefined;

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.gate = isSqliteWalFile(dataSource) ? new SqliteTransactionGate(dataSource) : undefined;
  }

  /**
   * Work that is one statement, atomic by itself. On PostgreSQL it runs without an explicit
   * transaction (autocommit): BEGIN and COMMIT are two round trips, each costing the service
   * a socket write and the server a wake-up (with a webhook endpoint, a claim and an attempt's
   * record were three round trips each where one does). On SQLite it is queued like any
   * transaction: a statement run beside the one connection's open transaction would join it.
   */
  runStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return work(this.dataSource.manager);
    return this.run(work);
  }

  /**
   * A transaction that may lock rows in an order another one reverses, run again (up to
   * DEADLOCK_ATTEMPTS times) when PostgreSQL fails it to break the deadlock. Only for work that
   * touches nothing but the database, since it may run more than once. Seen in the bench:
   * disabling an endpoint (one UPDATE over its pending deliveries, in whatever order the scan
   * meets them) against a batch of attempt records (one UPDATE per delivery), a 500 on the PATCH.
   */
  async runRetryingDeadlocks<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      }
    }
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return this.dataSource.transaction(work);
    const { gate } = this;
    const transaction = () => this.dataSource.transaction(work);
    return this.queue.run(gate === undefined ? transaction : () => gate.run(transaction));
  }
}
