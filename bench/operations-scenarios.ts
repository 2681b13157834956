import { randomUUID } from 'node:crypto';
import type { BuiltScenario, ScenarioContext } from './scenarios.js';

/** Issue 14: "request logging costs at most 10 % of GET throughput". */
const LOGGING_MIN_THROUGHPUT_RATIO = 0.9;
/** Issue 14: "/metrics scraping costs under 5 ms at 1,000 active series". */
const SCRAPE_MAX_P50_MS = 5;
const MIN_SERIES = 1000;

const SCIM = '/scim/v2';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** SCIM paths, the id ones with an id no resource has: each method on each gives its own series. */
const SCIM_PATHS = [
  'Users', 'Users/{id}', 'Users/.search', 'Groups', 'Groups/{id}', 'Groups/.search', 'Libraries', 'Libraries/{id}',
  'Libraries/.search', '.search', 'Bulk', 'Me', 'ServiceProviderConfig', 'ResourceTypes', 'ResourceTypes/User', 'Schemas',
  'Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
].map((path) => `${SCIM}/${path}`);
const OTHER_PATHS = ['/health/live', '/health/ready', '/metrics', '/admin/openapi.json', '/nowhere'];

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/**
 * Fills `/metrics` the way a busy replica's looks: every method on every SCIM path, every route of
 * the admin API's OpenAPI document, each with and without a valid token (200s, 400s, 401s, 404s,
 * 405s: one counter series per status, one histogram per route and method). Bodies are empty and
 * ids unknown, so nothing is stored. Answers the number of series the scrape then holds.
 */
async function fillSeries(baseUrl: string, context: ScenarioContext): Promise<string> {
  const document = (await (await fetch(`${baseUrl}/admin/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const calls: { method: string; path: string; token: string }[] = [];
  for (const path of [...SCIM_PATHS, ...OTHER_PATHS]) {
    for (const method of METHODS) calls.push({ method, path: path.replace('{id}', randomUUID()), token: context.bearer });
  }
  for (const [template, operations] of Object.entries(document.paths)) {
    const path = template.replace(/\{[^}]+\}/g, () => randomUUID());
    for (const method of Object.keys(operations)) calls.push({ method: method.toUpperCase(), path, token: context.adminToken });
  }
  for (const call of [...calls, ...calls.map((call) => ({ ...call, token: 'not-a-token' }))]) {
    const body = call.method === 'GET' || call.method === 'DELETE' ? undefined : '{}';
    await (await fetch(baseUrl + call.path, { method: call.method, headers: bearer(call.token), body })).arrayBuffer();
  }
  const scrape = await (await fetch(`${baseUrl}/metrics`)).text();
  const series = scrape.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  return `${series} series${series < MIN_SERIES ? ` (fewer than the ${MIN_SERIES} the goal names)` : ''}`;
}

export const OPERATIONS_SCENARIOS: readonly BuiltScenario[] = [
  {
    name: 'get-user-logged',
    title: 'GET /Users/{id} with a log line per request (LOG_LEVEL=info; get-user runs at warn)',
    built: true,
    sizeSensitive: false,
    latencyFactor: Number.POSITIVE_INFINITY,
    serviceEnv: { LOG_LEVEL: 'info' },
    throughputVs: { scenario: 'get-user', ratio: LOGGING_MIN_THROUGHPUT_RATIO },
    load: (context) => ({
      method: 'GET',
      path: `${SCIM}/Users/${context.users[0].id}`,
      headers: bearer(context.bearer),
      vary: (request) => ({ ...request, path: `${SCIM}/Users/${context.users[Math.floor(Math.random() * context.users.length)].id}` }),
    }),
  },
  {
    name: 'metrics-scrape',
    title: `GET /metrics after ${SCIM_PATHS.length + OTHER_PATHS.length} paths × ${METHODS.length} methods and the admin API were called (1 connection)`,
    built: true,
    sizeSensitive: false,
    latencyFactor: Number.POSITIVE_INFINITY,
    maxP50Ms: SCRAPE_MAX_P50_MS,
    prepare: fillSeries,
    // One scraper, as Prometheus is: concurrent scrapes would measure their queue, not a scrape.
    load: () => ({ method: 'GET', path: '/metrics', headers: {}, connections: 1 }),
  },
];
