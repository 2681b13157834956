import { DEFAULT_RETRY_DELAYS_MS } from '../../config/roster-options.js';
import { nextAttemptAfter } from './retry-schedule.js';

describe('webhook retry schedule', () => {
  const now = new Date('2026-11-30T00:00:00.000Z');

  it('retries for at least 24 hours in all, with growing delays', () => {
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    for (let i = 1; i < DEFAULT_RETRY_DELAYS_MS.length; i += 1) expect(DEFAULT_RETRY_DELAYS_MS[i]).toBeGreaterThan(DEFAULT_RETRY_DELAYS_MS[i - 1]);
  });

  it('adds up to a quarter of jitter, never less than the delay', () => {
    expect(nextAttemptAfter(now, 0, [1000], () => 0)?.getTime()).toBe(now.getTime() + 1000);
    expect(nextAttemptAfter(now, 0, [1000], () => 0.999)?.getTime()).toBe(now.getTime() + 1250);
  });

  it('gives up when the schedule is spent', () => {
    expect(nextAttemptAfter(now, 2, [1000, 2000])).toBeUndefined();
  });
});
