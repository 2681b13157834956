import { setImmediate as nextLoopTurn } from 'node:timers/promises';

/**
 * Runs jobs one after another, each starting on an event-loop turn of its own. better-sqlite3
 * answers every statement synchronously, so SQLite work never yields by itself: jobs started
 * straight from one another (queued transactions, concurrent list pages) would hold the loop for
 * all of them in a row, and timers and other requests would wait behind the lot (issue 15).
 */
export class LoopTurnQueue {
  private queue: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => nextLoopTurn()).then(job);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
