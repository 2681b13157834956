import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../config/injection-tokens.js';
import { isSqliteWalFile, type SqliteConnection, sqliteWriterConnection } from './sqlite-read-connection.js';

/** How often the worker copies the WAL's new pages into the database file. */
export const CHECKPOINT_EVERY_MS = 250;
/** SQLite's own default, restored when the worker stops, so a connection left alone still bounds its WAL. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The worker's whole program (CommonJS, run with `eval` so that the same code serves dist/ and
 * the TypeScript the tests run): its own connection to the file, a PASSIVE checkpoint on a timer.
 * PASSIVE never waits for, nor blocks, the service's readers and writer.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * WAL checkpoints off the event loop (issue 15). better-sqlite3 runs every statement on the
 * loop, and SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages:
 * it copies those pages into the database file and syncs it, which at 100,000 users held the
 * loop for 55–231 ms during POST /Users. The service's connection stops checkpointing and a
 * worker thread with a connection of its own does it instead. Durability is unchanged: a COMMIT
 * still syncs the WAL (synchronous = FULL), and a checkpoint only moves committed pages.
 */
@Injectable()
export class SqliteCheckpointer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('SqliteCheckpointer');
  private worker: { readonly thread: Worker; readonly exited: Promise<unknown> } | undefined;

  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const connection = this.connection();
    if (connection === undefined) return;
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: connection.name, everyMs: CHECKPOINT_EVERY_MS },
    });
    thread.on('message', (error: string) => this.logger.warn(`checkpoint failed: ${error}`));
    thread.on('error', (error) => this.logger.error(`checkpoint worker failed: ${String(error)}`));
    // A worker gone before shutdown hands checkpoints back to the connection, so the WAL stays bounded.
    thread.once('exit', () => {
      if (this.worker?.thread === thread) connection.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    });
    thread.unref();
    this.worker = { thread, exited: new Promise((resolve) => thread.once('exit', resolve)) };
    connection.pragma('wal_autocheckpoint = 0');
  }

  /** Before the data source closes: its last connection's close checkpoints what is left. */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    this.connection()?.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    worker.thread.postMessage('stop');
    await worker.exited;
  }

  /** The service's SQLite connection when it is a file in WAL mode; undefined on PostgreSQL and in memory. */
  private connection(): SqliteConnection | undefined {
    return isSqliteWalFile(this.dataSource) ? sqliteWriterConnection(this.dataSource) : undefined;
  }
}
