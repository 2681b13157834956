import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './cli-options.js';
import type { BenchDatabase } from './database.js';
import { runLoad, type LoadFigures, type LoadSpec } from './load.js';
import { startServer, type ChildServer } from './processes.js';
import { provisionCredentials, sampleUserBody } from './provision.js';
import type { BuiltScenario, PendingScenario, ScenarioContext } from './scenarios.js';
import { seedTenant } from './seed.js';

export interface RunFigures extends LoadFigures {
  readonly name: string;
  readonly title: string;
  readonly ratioToBaseline: number;
  /** Just before its warm-up. */
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  readonly rssAfterMb: number;
  /** Longest event-loop delay inside the measured process (perf_hooks, via the stall probe). */
  readonly loopMaxMs: number;
  /** What the scenario's set-up reported (the series a scrape holds). */
  readonly note?: string;
}

export interface SizeFigures {
  readonly users: number;
  readonly migrateSeconds: number;
  readonly seedSeconds: number;
  /** Issue 6's groups, their memberships and index rows: part of `seedSeconds`. */
  readonly groupSeedSeconds: number;
  readonly serviceStartupMs: number;
  readonly baselineStartupMs: number;
  readonly serviceRssReadyMb: number;
  readonly serviceRssEndMb: number;
  readonly bodyBytes: number;
  readonly baseline: RunFigures;
  readonly scenarios: readonly RunFigures[];
  readonly pending: readonly PendingScenario[];
}

// The bundle `npm start` and the Docker image run (scripts/bundle.mjs), built by `npm run bench`.
const SERVICE_SCRIPT = fileURLToPath(new URL('../roster.mjs', import.meta.url));
const BASELINE_SCRIPT = fileURLToPath(new URL('./baseline/baseline-app.js', import.meta.url));
const RSS_SAMPLE_MS = 250;

/** One tenant size end to end: seed, start the service, baseline, then each scenario. */
export async function runSize(
  size: number,
  database: BenchDatabase,
  built: readonly BuiltScenario[],
  pending: readonly PendingScenario[],
  options: BenchOptions,
): Promise<SizeFigures> {
  const seeded = await seedTenant(database.options, size, { withStatistics: !options.withoutStatistics });
  const adminToken = randomBytes(24).toString('hex');
  const serviceEnv = {
    DATABASE_URL: database.url,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
    // Rate limits are per tenant; the bench measures the service, not its limiter.
    RATE_LIMIT_READ_PER_SEC: '1000000',
    RATE_LIMIT_WRITE_PER_SEC: '1000000',
  };
  const service = await startServer('service', SERVICE_SCRIPT, serviceEnv);
  try {
    const serviceRssReadyMb = service.rssMb();
    const credentials = await provisionCredentials(service.baseUrl, adminToken, seeded.tenantId);
    const body = await sampleUserBody(service.baseUrl, credentials.bearer, seeded.users[0].id);
    const context: ScenarioContext = { users: seeded.users, listOrder: seeded.listOrder, groups: seeded.groups, libraries: seeded.libraries, ...credentials, adminToken, tenantId: seeded.tenantId, runTag: `${size}-${Date.now()}` };

    const baselineServer = await startServer('baseline', BASELINE_SCRIPT, { BASELINE_BODY: body });
    let baseline: RunFigures;
    try {
      const spec: LoadSpec = { method: 'GET', path: `/scim/v2/Users/${seeded.users[0].id}`, headers: {} };
      baseline = await measure(baselineServer, 'baseline', 'Nest + Fastify constant body', spec, options, Number.NaN);
    } finally {
      await baselineServer.stop();
    }

    const scenarios: RunFigures[] = [];
    for (const scenario of built) {
      const own = scenario.serviceEnv ? await startOwnService(scenario.name, { ...serviceEnv, ...scenario.serviceEnv }) : undefined;
      try {
        const server = own ?? service;
        const note = await scenario.prepare?.(server.baseUrl, context);
        const figures = await measure(server, scenario.name, scenario.title, scenario.load(context), options, baseline.okPerSecond);
        scenarios.push(note === undefined ? figures : { ...figures, note });
      } finally {
        await own?.stop();
      }
    }
    return {
      users: size,
      migrateSeconds: seeded.migrateSeconds,
      seedSeconds: seeded.insertSeconds,
      groupSeedSeconds: seeded.groupSeconds,
      serviceStartupMs: service.startupMs,
      baselineStartupMs: baselineServer.startupMs,
      serviceRssReadyMb,
      serviceRssEndMb: service.rssMb(),
      bodyBytes: Buffer.byteLength(body),
      baseline: { ...baseline, ratioToBaseline: 1 },
      scenarios,
      pending,
    };
  } finally {
    await service.stop();
  }
}

/** A service process for one scenario, on the same database, its stdout (the log lines) in a temporary file. */
async function startOwnService(name: string, env: Record<string, string>): Promise<ChildServer> {
  const folder = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const server = await startServer(`service (${name})`, SERVICE_SCRIPT, env, join(folder, 'stdout.log'));
  return {
    ...server,
    stop: async () => {
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function measure(
  server: ChildServer,
  name: string,
  title: string,
  spec: LoadSpec,
  options: BenchOptions,
  baselineOkPerSecond: number,
): Promise<RunFigures> {
  const rssBeforeMb = server.rssMb();
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, server.rssMb());
  }, RSS_SAMPLE_MS);
  try {
    // Stalls are counted in the measured window only: the warm-up is where the JIT compiles.
    const figures = await runLoad(server.baseUrl, spec, options, () => server.resetStalls());
    const stalls = await server.readStalls();
    return {
      name,
      title,
      ...figures,
      ratioToBaseline: figures.okPerSecond / baselineOkPerSecond,
      rssBeforeMb,
      rssPeakMb,
      rssAfterMb: server.rssMb(),
      loopMaxMs: stalls.maxMs,
    };
  } finally {
    clearInterval(sampler);
  }
}
