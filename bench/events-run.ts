import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { encodePosition } from '../src/modules/events/event.js';
import type { BenchOptions } from './cli-options.js';
import { createBenchDatabase } from './database.js';
import { runLoad, type LoadFigures, type LoadSpec } from './load.js';
import { startServer, type ChildServer } from './processes.js';
import { provisionCredentials } from './provision.js';
import { seedEvents } from './seed-events.js';
import type { Verdict } from './verdicts.js';
import { WebhookSink } from './webhook-sink.js';

/** Issue 12's measures: writes with a webhook endpoint against without, delivery lag, the pull API at a million events. */
export interface EventsFigures {
  readonly writesWithoutPerSecond: readonly number[];
  readonly writesWithPerSecond: number;
  readonly writeRatio: number;
  readonly steadyRatePerSecond: number;
  readonly steadyWrites: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  readonly pullSmall: { readonly events: number } & LoadFigures;
  readonly pullLarge: { readonly events: number } & LoadFigures;
}

export const EVENTS_GOALS = { writeRatio: 0.8, pullPageGrowth: 1.25 } as const;

// The bundle `npm start` and the Docker image run (scripts/bundle.mjs), built by `npm run bench`.
const SERVICE_SCRIPT = fileURLToPath(new URL('../roster.mjs', import.meta.url));
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** Writes per second of the steady load the lag is measured under: an IdP's sync, not a flood. */
const STEADY_RATE = 50;
const SMALL_STREAM = 1000;
/** How deep into the stream the measured page starts: where a consumer that fell behind resumes. */
const PAGE_DEPTH = 0.9;

export async function runEventsStage(options: BenchOptions): Promise<EventsFigures> {
  const database = await createBenchDatabase(options.db, 0);
  const adminToken = randomBytes(24).toString('hex');
  const sink = await WebhookSink.start();
  let service: ChildServer | undefined;
  try {
    service = await startServer('service', SERVICE_SCRIPT, {
      DATABASE_URL: database.url,
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_READ_PER_SEC: '1000000',
      RATE_LIMIT_WRITE_PER_SEC: '1000000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    const admin = adminClient(service.baseUrl, adminToken);
    const tenant = await admin<{ id: string }>('POST', '/admin/tenants', { name: `events-bench-${Date.now()}` });
    const { bearer } = await provisionCredentials(service.baseUrl, adminToken, tenant.id);
    const creates = userCreates(bearer);

    // Without, with, without again: the table grows as the runs go on, so "without" brackets "with".
    const without1 = await runLoad(service.baseUrl, creates, options, () => undefined);
    await admin('POST', `/admin/tenants/${tenant.id}/webhooks`, { url: sink.urlFor('/throughput') });
    const withHook = await runLoad(service.baseUrl, creates, options, () => undefined);
    await admin('PATCH', `/admin/tenants/${tenant.id}/webhooks/${(await admin<{ id: string }[]>('GET', `/admin/tenants/${tenant.id}/webhooks`))[0].id}`, { enabled: false });
    const without2 = await runLoad(service.baseUrl, creates, options, () => undefined);
    const withoutMean = (without1.okPerSecond + without2.okPerSecond) / 2;

    // Delivery lag under a steady load, on a fresh endpoint. The last run's final requests may
    // still be committing when it returns: let them land before the stream's end is read.
    await sleep(1000);
    const before = await pullAfter(admin, tenant.id, undefined);
    await admin('POST', `/admin/tenants/${tenant.id}/webhooks`, { url: sink.urlFor('/steady'), types: ['user.created'] });
    sink.reset();
    await steadyLoad(service.baseUrl, creates, STEADY_RATE, options.durationSeconds);
    // What the service committed, not what the load generator saw answered before it stopped.
    const steadyWrites = (await pullAfter(admin, tenant.id, before.cursor)).count;
    const deadline = Date.now() + 60_000;
    while (sink.received < steadyWrites && Date.now() < deadline) await sleep(50);
    const lags = [...sink.lagsMs].sort((a, b) => a - b);

    // The pull API: one page of 100 deep into a stream of 1,000 and of a million events.
    const small = await admin<{ id: string }>('POST', '/admin/tenants', { name: `events-small-${Date.now()}` });
    const large = await admin<{ id: string }>('POST', '/admin/tenants', { name: `events-large-${Date.now()}` });
    await seedEvents(database.options, small.id, SMALL_STREAM);
    await seedEvents(database.options, large.id, options.pullEvents);
    const pullSmall = await runLoad(service.baseUrl, pullPage(small.id, SMALL_STREAM, adminToken), options, () => undefined);
    const pullLarge = await runLoad(service.baseUrl, pullPage(large.id, options.pullEvents, adminToken), options, () => undefined);

    return {
      writesWithoutPerSecond: [without1.okPerSecond, without2.okPerSecond],
      writesWithPerSecond: withHook.okPerSecond,
      writeRatio: withHook.okPerSecond / withoutMean,
      steadyRatePerSecond: STEADY_RATE,
      steadyWrites,
      delivered: sink.received,
      duplicates: sink.duplicates,
      lagP50Ms: percentile(lags, 0.5),
      lagP99Ms: percentile(lags, 0.99),
      lagMaxMs: lags.at(-1) ?? Number.NaN,
      pullSmall: { events: SMALL_STREAM, ...pullSmall },
      pullLarge: { events: options.pullEvents, ...pullLarge },
    };
  } finally {
    await service?.stop();
    await sink.close();
    await database.drop();
  }
}

export function judgeEvents(figures: EventsFigures): Verdict[] {
  const growth = figures.pullLarge.p50Ms / figures.pullSmall.p50Ms;
  return [
    {
      goal: `POST /Users with one webhook endpoint ≥ ${EVENTS_GOALS.writeRatio} × without`,
      passed: figures.writeRatio >= EVENTS_GOALS.writeRatio,
      detail: `${figures.writeRatio.toFixed(2)} (${figures.writesWithPerSecond.toFixed(0)} vs ${figures.writesWithoutPerSecond.map((rate) => rate.toFixed(0)).join(' and ')} req/s)`,
    },
    {
      goal: `every event of a steady ${figures.steadyRatePerSecond} writes/s delivered once`,
      passed: figures.delivered === figures.steadyWrites && figures.duplicates === 0,
      detail: `${figures.delivered} of ${figures.steadyWrites}, ${figures.duplicates} twice; lag p50 ${figures.lagP50Ms.toFixed(0)} ms, p99 ${figures.lagP99Ms.toFixed(0)} ms, max ${figures.lagMaxMs.toFixed(0)} ms`,
    },
    {
      goal: `events page of 100 at ${figures.pullLarge.events} events ≤ ${EVENTS_GOALS.pullPageGrowth} × at ${figures.pullSmall.events} (p50)`,
      passed: growth <= EVENTS_GOALS.pullPageGrowth,
      detail: `${growth.toFixed(2)} (${figures.pullLarge.p50Ms.toFixed(2)} vs ${figures.pullSmall.p50Ms.toFixed(2)} ms; ${figures.pullLarge.okPerSecond.toFixed(0)} vs ${figures.pullSmall.okPerSecond.toFixed(0)} req/s)`,
    },
  ];
}

export function formatEvents(figures: EventsFigures): string {
  return [
    `Change events (issue 12): POST /Users ${figures.writesWithoutPerSecond.map((rate) => rate.toFixed(0)).join(' / ')} req/s without a webhook endpoint, ${figures.writesWithPerSecond.toFixed(0)} with one`,
    `  delivery lag at ${figures.steadyRatePerSecond} writes/s: p50 ${figures.lagP50Ms.toFixed(0)} ms, p99 ${figures.lagP99Ms.toFixed(0)} ms, max ${figures.lagMaxMs.toFixed(0)} ms (${figures.delivered} of ${figures.steadyWrites} delivered)`,
    `  events page of 100 at ${PAGE_DEPTH * 100} % depth: ${figures.pullSmall.events} events p50 ${figures.pullSmall.p50Ms.toFixed(2)} ms (${figures.pullSmall.okPerSecond.toFixed(0)} req/s), ` +
      `${figures.pullLarge.events} events p50 ${figures.pullLarge.p50Ms.toFixed(2)} ms (${figures.pullLarge.okPerSecond.toFixed(0)} req/s)`,
  ].join('\n');
}

function userCreates(bearer: string): LoadSpec {
  let created = 0;
  const tag = `${Date.now()}`;
  return {
    method: 'POST',
    path: '/scim/v2/Users',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json' },
    vary: (request) => {
      created += 1;
      return { ...request, body: JSON.stringify({ schemas: [CORE_USER], userName: `events.${tag}.${created}@example.com`, active: true }) };
    },
  };
}

function pullPage(tenantId: string, events: number, adminToken: string): LoadSpec {
  const cursor = encodePosition(Math.floor(events * PAGE_DEPTH));
  return { method: 'GET', path: `/admin/tenants/${tenantId}/events?limit=100&after=${cursor}`, headers: { authorization: `Bearer ${adminToken}` } };
}

type Admin = ReturnType<typeof adminClient>;

/** Walks the tenant's events after `cursor` to the end: how many there were and the cursor to go on from. */
async function pullAfter(admin: Admin, tenantId: string, cursor: string | undefined): Promise<{ count: number; cursor: string | undefined }> {
  let count = 0;
  for (;;) {
    const query = `limit=1000${cursor === undefined ? '' : `&after=${cursor}`}`;
    const page = await admin<{ data: unknown[]; nextCursor: string | null }>('GET', `/admin/tenants/${tenantId}/events?${query}`);
    count += page.data.length;
    cursor = page.nextCursor ?? cursor;
    if (page.data.length < 1000) return { count, cursor };
  }
}

/**
 * One create every 1/`rate` s for `seconds`, each on its own schedule whatever the previous one
 * takes: a steady IdP sync. (autocannon's overallRate sends each second's requests in a burst,
 * which measures queueing behind the burst rather than the lag of one write.)
 */
async function steadyLoad(baseUrl: string, spec: LoadSpec, rate: number, seconds: number): Promise<void> {
  const sends: Promise<unknown>[] = [];
  const started = Date.now();
  for (let i = 0; i < rate * seconds; i += 1) {
    const due = started + (i * 1000) / rate;
    await sleep(Math.max(0, due - Date.now()));
    const request = spec.vary ? spec.vary({ method: spec.method, path: spec.path, headers: spec.headers } as autocannon.Request, {}) : spec;
    sends.push(fetch(`${baseUrl}${spec.path}`, { method: spec.method, headers: spec.headers, body: request.body as string }).then((response) => response.arrayBuffer()));
  }
  await Promise.all(sends);
}

function adminClient(baseUrl: string, adminToken: string) {
  return async <T = unknown>(method: string, path: string, body?: object): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
