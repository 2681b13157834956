import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';

/**
 * Runs work in one database transaction. better-sqlite3 has a single connection, on which two
 * interleaved transactions would collide ("cannot start a transaction within a transaction"),
 * so on SQLite transactions queue up one after the other; PostgreSQL runs them side by side
 * and relies on its row locks and unique indexes. Each SQLite transaction starts on a loop turn
 * of its own: its statements run on the event loop, and queued transactions started straight
 * from the previous one's commit would hold the loop for all of them in a row (ten concurrent
 * POST /Users: up to 200 ms at 100,000 users, issue 15), while the loop turn lets other
 * requests and timers in between.
 */
@Injectable()
export class TransactionRunner {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return this.dataSource.transaction(work);
    const next = this.queue.then(() => nextLoopTurn()).then(() => this.dataSource.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
