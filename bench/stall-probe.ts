import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded (`node --import`) into the service and the baseline so that event-loop stalls are
 * measured inside them without touching src/: the harness resets and reads the histogram over
 * the child's IPC channel around each scenario.
 */
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

process.on('message', (message: unknown) => {
  if (message === 'stalls:reset') histogram.reset();
  if (message === 'stalls:read') {
    process.send?.({ kind: 'stalls', maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 });
  }
});
// A harness that died must not leave a server behind.
process.on('disconnect', () => process.exit(0));
// The channel must not keep a process alive that would otherwise exit (e.g. on a config error).
process.channel?.unref();
