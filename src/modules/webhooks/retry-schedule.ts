/** Up to a quarter more than the delay, so that deliveries failed together do not come back together. */
const JITTER = 0.25;

/**
 * When the next attempt is due after the `step`-th failure, or undefined when the schedule is
 * spent. Jitter only lengthens a delay, so the schedule's total stays a lower bound.
 */
export function nextAttemptAfter(now: Date, step: number, delaysMs: readonly number[], random: () => number = Math.random): Date | undefined {
  const delay = delaysMs[step];
  if (delay === undefined) return undefined;
  return new Date(now.getTime() + Math.round(delay * (1 + JITTER * random())));
}
