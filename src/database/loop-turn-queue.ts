import { performance } from 'node:perf_hooks';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';

/**
 * Runs jobs one after another, on event-loop turns of their own. better-sqlite3 answers every
 * statement synchronously, so SQLite work never yields by itself: jobs started straight from one
 * another (queued transactions, concurrent list pages) would hold the loop for all of them in a
 * row, and timers and other requests would wait behind the lot (issue 15).
 *
 * `sliceMs` lets a turn run more than one job: the next queued job runs in the same turn while
 * less than `sliceMs` has passed since the turn's first job began, so the loop is held for at most
 * `sliceMs` plus one job. A keyed filter's page takes about 0.1 ms: with a turn per page, each
 * `userName eq` request cost 208 µs of CPU, in slices 160 µs, much of it in loop turns and in
 * waking the client once per answer (SQLite, 1k users, 4 alternating rounds). With 0, the
 * default, every job has a turn of its own.
 * The first job after the queue was idle always waits for the next turn, so the requests one poll
 * phase reads are all queued before any of them runs.
 */
export class LoopTurnQueue {
  private queue: Promise<unknown> = Promise.resolve();
  /** When the running slice's first job began; -Infinity while no slice runs. */
  private sliceStartedAt = Number.NEGATIVE_INFINITY;
  /** Jobs queued or running. */
  private pending = 0;

  constructor(private readonly sliceMs = 0) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.queue
      .then(() => this.turnFor())
      .then(job)
      .finally(() => {
        // An idle queue ends its slice: the next job waits for a turn of its own.
        if (--this.pending === 0) this.sliceStartedAt = Number.NEGATIVE_INFINITY;
      });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the next job may run: at once within the slice, else on the next turn, which begins a new slice. */
  private async turnFor(): Promise<void> {
    if (performance.now() - this.sliceStartedAt < this.sliceMs) return;
    await nextLoopTurn();
    this.sliceStartedAt = performance.now();
  }
}
