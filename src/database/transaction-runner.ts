import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';

/**
 * Runs work in one database transaction. better-sqlite3 has a single connection, on which two
 * interleaved transactions would collide ("cannot start a transaction within a transaction"),
 * so on SQLite transactions queue up one after the other; PostgreSQL runs them side by side
 * and relies on its row locks and unique indexes.
 */
@Injectable()
export class TransactionRunner {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return this.dataSource.transaction(work);
    const next = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
