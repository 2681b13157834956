import autocannon, { type Request } from 'autocannon';

/** Per-connection state autocannon hands every `vary` of one round (cleared when the round starts again). */
export type RoundContext = Record<string, unknown>;

export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Called before every request, to vary the path or body (random ids, unique userNames). */
  readonly vary?: (request: Request, round: RoundContext) => Request;
}

export interface LoadSpec extends LoadRequest {
  /**
   * Unmeasured requests each connection sends around the measured one, in one round: `before`, the
   * measured request, `after` (a remove that makes the next add a real one again). Their answers are
   * left out of the figures except as errors.
   */
  readonly before?: LoadRequest;
  readonly after?: LoadRequest;
  /** Overrides --connections (a write that would queue on one row lock runs alone). */
  readonly connections?: number;
  /** A fixed number of measured requests (after one unmeasured one) instead of --duration and --warmup. */
  readonly requests?: number;
}

export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface LoadFigures {
  readonly requests: number;
  /** 2xx answers to measured requests per second: errors do not count as throughput. */
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The slowest answer seen by the client: a stall in the service shows up here too. */
  readonly maxMs: number;
  /** Non-2xx answers (unmeasured requests' too) plus socket errors and timeouts. */
  readonly errors: number;
  /** Every answer's status, unmeasured requests' too. */
  readonly statusCounts: Record<string, number>;
}

/** A warm-up, then a bounded measured run with pipelining 1; `onMeasured` runs between the two. */
export async function runLoad(baseUrl: string, spec: LoadSpec, settings: LoadSettings, onMeasured: () => void): Promise<LoadFigures> {
  const connections = spec.connections ?? settings.connections;
  const warmup = spec.requests === undefined ? { seconds: settings.warmupSeconds } : { amount: connections };
  await cannon(baseUrl, spec, connections, warmup);
  onMeasured();
  return cannon(baseUrl, spec, connections, spec.requests === undefined ? { seconds: settings.durationSeconds } : { amount: spec.requests });
}

type Length = { readonly seconds: number } | { readonly amount: number };

async function cannon(baseUrl: string, spec: LoadSpec, connections: number, length: Length): Promise<LoadFigures> {
  // autocannon's own histogram keeps whole milliseconds; sub-millisecond p50s need the raw times.
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  // autocannon calls a request's onResponse and then, synchronously, emits 'response' for it.
  let measured = true;
  const step = (request: LoadRequest, isMeasured: boolean): autocannon.Request => ({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body,
    // autocannon calls `setupRequest` whenever the key is present, even when it is undefined.
    ...(request.vary && { setupRequest: request.vary as (request: Request, context: object) => Request }),
    ...((spec.before || spec.after) && { onResponse: () => (measured = isMeasured) }),
  });
  const requests = [...(spec.before ? [step(spec.before, false)] : []), step(spec, true), ...(spec.after ? [step(spec.after, false)] : [])];
  // With companions, each measured request is one round of `requests.length`.
  const amount = 'amount' in length ? { amount: length.amount * requests.length } : { duration: length.seconds };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: baseUrl, connections, pipelining: 1, ...amount, requests }, (error, figures) => (error ? reject(error) : resolve(figures)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      if (!measured) return;
      latencies.push(responseTime);
      if (statusCode >= 200 && statusCode < 300) ok += 1;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    okPerSecond: ok / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    errors: result.non2xx + result.errors,
    statusCounts,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
