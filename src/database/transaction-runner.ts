import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';
import { LoopTurnQueue } from './loop-turn-queue.js';
import { isSqliteWalFile } from './sqlite-read-connection.js';
import { SqliteTransactionGate } from './sqlite-transaction-gate.js';

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

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return this.dataSource.transaction(work);
    const { gate } = this;
    const transaction = () => this.dataSource.transaction(work);
    return this.queue.run(gate === undefined ? transaction : () => gate.run(transaction));
  }
}
