import autocannon, { type Request } from 'autocannon';

export interface LoadSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Called before every request, to vary the path or body (random ids, unique userNames). */
  readonly vary?: (request: Request) => Request;
}

export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface LoadFigures {
  readonly requests: number;
  /** 2xx answers per second: errors do not count as throughput. */
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The slowest answer seen by the client: a stall in the service shows up here too. */
  readonly maxMs: number;
  /** Non-2xx answers plus socket errors and timeouts. */
  readonly errors: number;
  readonly statusCounts: Record<string, number>;
}

/** A warm-up, then a bounded measured run with pipelining 1; `onMeasured` runs between the two. */
export async function runLoad(baseUrl: string, spec: LoadSpec, settings: LoadSettings, onMeasured: () => void): Promise<LoadFigures> {
  await cannon(baseUrl, spec, settings.connections, settings.warmupSeconds);
  onMeasured();
  return cannon(baseUrl, spec, settings.connections, settings.durationSeconds);
}

async function cannon(baseUrl: string, spec: LoadSpec, connections: number, seconds: number): Promise<LoadFigures> {
  // autocannon's own histogram keeps whole milliseconds; sub-millisecond p50s need the raw times.
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        pipelining: 1,
        duration: seconds,
        // autocannon calls `setupRequest` whenever the key is present, even when it is undefined.
        requests: [{ method: spec.method, path: spec.path, headers: spec.headers, body: spec.body, ...(spec.vary && { setupRequest: spec.vary }) }],
      },
      (error, figures) => (error ? reject(error) : resolve(figures)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    okPerSecond: result['2xx'] / result.duration,
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
