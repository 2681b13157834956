import { LoopTurnQueue } from './loop-turn-queue.js';

describe('LoopTurnQueue', () => {
  it('runs jobs in order, letting the loop turn between one and the next', async () => {
    const queue = new LoopTurnQueue();
    const seen: string[] = [];
    const first = queue.run(async () => {
      seen.push('first');
      // Another request's work, queued while the first job holds the loop.
      setImmediate(() => seen.push('between'));
      return 1;
    });
    const second = queue.run(async () => {
      seen.push('second');
      return 2;
    });
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(seen).toEqual(['first', 'between', 'second']);
  });

  it('runs the next job after one that failed', async () => {
    const queue = new LoopTurnQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    const next = queue.run(() => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});

describe('LoopTurnQueue with a slice', () => {
  /** A job that holds the loop for `ms`, as a synchronous SQLite statement does. */
  const holding = (seen: string[], name: string, ms: number) => async () => {
    const until = performance.now() + ms;
    while (performance.now() < until);
    seen.push(name);
  };

  it('runs the jobs queued together in one turn while the slice lasts, then gives the loop a turn', async () => {
    // Wide margins: a loaded machine may pause this process between jobs.
    const queue = new LoopTurnQueue(100);
    const seen: string[] = [];
    const jobs = [queue.run(holding(seen, 'a', 1)), queue.run(holding(seen, 'b', 1)), queue.run(holding(seen, 'c', 110)), queue.run(holding(seen, 'd', 1))];
    // Another request's work, queued before any job ran: it runs once the slice is spent.
    setImmediate(() => setImmediate(() => seen.push('between')));
    await Promise.all(jobs);
    // a, b and c begin within 100 ms of a's start; d begins after c passed it, on a turn of its own.
    expect(seen).toEqual(['a', 'b', 'c', 'between', 'd']);
  });

  it('still starts the first job after the queue was idle on a turn of its own', async () => {
    const queue = new LoopTurnQueue(1000);
    const seen: string[] = [];
    await queue.run(holding(seen, 'first', 0));
    setImmediate(() => seen.push('between'));
    const second = queue.run(holding(seen, 'second', 0));
    seen.push('queued');
    await second;
    expect(seen).toEqual(['first', 'queued', 'between', 'second']);
  });
});
