import { Counter, Histogram, Registry } from 'prom-client';
import { MAX_PIECE_CHARS } from './text-pieces.js';
import { HttpRequestSeries, LATENCY_BUCKETS } from './http-request-series.js';
import { seededRandom } from '../../../test/support/seeded-random.js';

/** The two metrics as prom-client kept them before HttpRequestSeries, in a registry of their own. */
function promClientPair(): { readonly registry: Registry; observe(route: string, method: string, status: number, seconds: number): void } {
  const registry = new Registry();
  const requests = new Counter({
    name: 'roster_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'Time from the request arriving to the answer sent, by route template and method.',
    labelNames: ['route', 'method'] as const,
    buckets: [...LATENCY_BUCKETS],
    registers: [registry],
  });
  return {
    registry,
    observe(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      duration.observe({ route, method }, seconds);
    },
  };
}

// Templates a label must escape as prom-client does: quotes, backslashes, newlines.
const ROUTES = ['/scim/v2/Users/:id', '/scim/v2/Users', 'unmatched', '/admin/tenants/:tenantId', '/odd/"quoted"', '/odd/back\\slash', '/odd/new\nline'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const STATUSES = [200, 201, 204, 304, 400, 401, 404, 405, 409, 429, 500, 503];

describe('HttpRequestSeries', () => {
  it('writes the lines prom-client wrote for the same requests, byte for byte', async () => {
    const random = seededRandom(15);
    const ours = new HttpRequestSeries();
    const theirs = promClientPair();
    for (let i = 0; i < 5000; i++) {
      const route = ROUTES[Math.floor(random() * ROUTES.length)];
      const method = METHODS[Math.floor(random() * METHODS.length)];
      const status = STATUSES[Math.floor(random() * STATUSES.length)];
      // Bucket bounds exactly, zero, and values past the last bound, besides the spread between.
      const pick = random();
      const seconds = pick < 0.2 ? LATENCY_BUCKETS[Math.floor(random() * LATENCY_BUCKETS.length)] : pick < 0.25 ? 0 : pick < 0.3 ? 10 + random() * 100 : random() * random();
      ours.observe(route, method, status, seconds);
      theirs.observe(route, method, status, seconds);
    }
    const pieces = ours.exposition();
    // Enough series for several pieces, each short of V8's large strings, that together are the text.
    expect(pieces.length).toBeGreaterThan(2);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    expect(`${pieces.join('')}\n`).toBe(await theirs.registry.metrics());
  });

  it('writes the HELP and TYPE lines of both metrics before any request', async () => {
    expect(`${new HttpRequestSeries().exposition().join('')}\n`).toBe(await promClientPair().registry.metrics());
  });

  it('counts cumulative buckets: a value on a bound falls in it, one past the last only in +Inf', () => {
    const series = new HttpRequestSeries();
    series.observe('/r', 'GET', 200, 0.001);
    series.observe('/r', 'GET', 200, 0.0011);
    series.observe('/r', 'GET', 404, 11);
    const lines = series.exposition().join('').split('\n');
    expect(lines).toContain('roster_http_requests_total{route="/r",method="GET",status="200"} 2');
    expect(lines).toContain('roster_http_requests_total{route="/r",method="GET",status="404"} 1');
    expect(lines).toContain('roster_http_request_duration_seconds_bucket{le="0.001",route="/r",method="GET"} 1');
    expect(lines).toContain('roster_http_request_duration_seconds_bucket{le="0.0025",route="/r",method="GET"} 2');
    expect(lines).toContain('roster_http_request_duration_seconds_bucket{le="10",route="/r",method="GET"} 2');
    expect(lines).toContain('roster_http_request_duration_seconds_bucket{le="+Inf",route="/r",method="GET"} 3');
    expect(lines).toContain('roster_http_request_duration_seconds_count{route="/r",method="GET"} 3');
    expect(lines).toContain(`roster_http_request_duration_seconds_sum{route="/r",method="GET"} ${0.001 + 0.0011 + 11}`);
  });

  it('counts a request whose duration is not a finite number, without a histogram series (prom-client refused the value)', () => {
    const series = new HttpRequestSeries();
    series.observe('/r', 'GET', 200, Number.NaN);
    const text = series.exposition().join('');
    expect(text).toContain('roster_http_requests_total{route="/r",method="GET",status="200"} 1');
    expect(text).not.toContain('roster_http_request_duration_seconds_bucket');
    expect(text).not.toContain('roster_http_request_duration_seconds_count');
  });
});
