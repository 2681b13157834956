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
