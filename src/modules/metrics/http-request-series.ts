import { TextPieces } from './text-pieces.js';

/** Seconds; from a cached GET (~1 ms) to a 100,000-member group streamed (~1 s) and beyond. */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const REQUESTS = {
  name: 'roster_http_requests_total',
  help: 'HTTP requests answered, by route template, method and status.',
};
// No status label: the counter has it, and buckets × statuses would multiply the series.
const DURATION = {
  name: 'roster_http_request_duration_seconds',
  help: 'Time from the request arriving to the answer sent, by route template and method.',
};

/** One route template, method and status: its `route="…",method="…",status="…"` label text and count. */
interface StatusCount {
  readonly labels: string;
  count: number;
}

/** One route template and method: its requests by status and its latency histogram. */
interface RouteSeries {
  /** `route="…",method="…"`, escaped once, when the series first appeared. */
  readonly labels: string;
  /** Requests by status. */
  readonly statuses: Map<number, StatusCount>;
  /** Observations per bucket, not cumulative: `inBucket[i]` counts values in (LATENCY_BUCKETS[i-1], LATENCY_BUCKETS[i]]. */
  readonly inBucket: Float64Array;
  sum: number;
  count: number;
}

/**
 * `roster_http_requests_total` and `roster_http_request_duration_seconds`, the only series that
 * grow with the routes a replica serves: kept and written in the Prometheus text format (0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/) here rather than as prom-client
 * metrics, with the lines prom-client writes for them. Why not prom-client: it builds, formats and
 * escapes every label of every line at each scrape (a histogram series is 16 lines); with the ~80
 * route and method pairs the bench's busy replica has, these two were 1,360 of 1,500 lines and
 * about 2.7 of the 5.2 ms of CPU a scrape cost (issue 14's goal: under 5 ms at 1,000 series).
 * Here a series' label text is escaped once, when it first appears, and a scrape only joins
 * numbers to it. Every other metric stays prom-client's.
 */
export class HttpRequestSeries {
  private readonly series = new Map<string, RouteSeries>();
  /** Every route, method and status, in the order each first appeared (prom-client's order of a metric's series). */
  private readonly statusCounts: StatusCount[] = [];

  observe(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\u0000${method}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        labels: `route="${escapeLabelValue(route)}",method="${escapeLabelValue(method)}"`,
        statuses: new Map(),
        inBucket: new Float64Array(LATENCY_BUCKETS.length),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    let requests = series.statuses.get(status);
    if (requests === undefined) {
      requests = { labels: `${series.labels},status="${escapeLabelValue(String(status))}"`, count: 0 };
      series.statuses.set(status, requests);
      this.statusCounts.push(requests);
    }
    requests.count += 1;
    // prom-client refuses a value that is not a finite number; a request still counts above.
    if (!Number.isFinite(seconds)) return;
    const bucket = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) series.inBucket[bucket] += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /**
   * Both metrics' blocks, each with its HELP and TYPE lines, separated by a blank line as
   * prom-client separates metrics; no final newline. In pieces that concatenate to the text,
   * none over MAX_PIECE_CHARS (text-pieces.ts) but a line longer than that.
   */
  exposition(): string[] {
    const text = new LineWriter();
    text.line(`# HELP ${REQUESTS.name} ${escapeHelp(REQUESTS.help)}`);
    text.line(`# TYPE ${REQUESTS.name} counter`);
    for (const { labels, count } of this.statusCounts) text.line(`${REQUESTS.name}{${labels}} ${count}`);
    text.line('');
    text.line(`# HELP ${DURATION.name} ${escapeHelp(DURATION.help)}`);
    text.line(`# TYPE ${DURATION.name} histogram`);
    for (const series of this.series.values()) {
      // Only non-finite durations so far: prom-client would hold no histogram series for it yet.
      if (series.count === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        cumulative += series.inBucket[i];
        text.line(`${DURATION.name}_bucket{le="${LATENCY_BUCKETS[i]}",${series.labels}} ${cumulative}`);
      }
      text.line(`${DURATION.name}_bucket{le="+Inf",${series.labels}} ${series.count}`);
      text.line(`${DURATION.name}_sum{${series.labels}} ${numberText(series.sum)}`);
      text.line(`${DURATION.name}_count{${series.labels}} ${series.count}`);
    }
    return text.pieces();
  }
}

/** Lines joined by newlines, in pieces (text-pieces.ts). */
class LineWriter {
  private readonly text = new TextPieces();
  private first = true;

  line(line: string): void {
    this.text.append(this.first ? line : `\n${line}`);
    this.first = false;
  }

  pieces(): string[] {
    return this.text.pieces();
  }
}

/** prom-client's label value escaping: backslash, newline and double quote. */
function escapeLabelValue(value: string): string {
  return escapeHelp(value).replace(/"/g, '\\"');
}

/** prom-client's HELP escaping: backslash and newline. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as prom-client writes it. */
function numberText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}
