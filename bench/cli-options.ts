import { Command, InvalidArgumentError } from 'commander';

export type BenchDatabaseKind = 'sqlite' | 'postgres';

/** One engine's run: every chosen scenario, or (`only`) the ones whose query plans statistics decide. */
export interface BenchPass {
  readonly db: BenchDatabaseKind;
  readonly withoutStatistics: boolean;
  /** Only these scenarios of the chosen ones; all when undefined. */
  readonly only?: readonly string[];
}

/**
 * Issue 15: the default run judges both engines, PostgreSQL once after VACUUM ANALYZE and once
 * as a tenant fresh from its first sync. Without statistics only the scenarios whose plans
 * statistics could change run (the filters IdPs send per user, judged against GET by id).
 */
export const STATISTICS_SENSITIVE_SCENARIOS = ['get-user', 'filter-user-name', 'filter-external-id', 'filter-work-email'] as const;

export interface BenchOptions {
  readonly sizes: readonly number[];
  /** The passes to run in order; PostgreSQL ones are skipped, and say so, when no server answers. */
  readonly passes: readonly BenchPass[];
  /** The pass being run (the first before any runs); what the size and events runs read. */
  readonly db: BenchDatabaseKind;
  /** Only these scenarios (the baseline always runs); all when undefined. */
  readonly scenarios: readonly string[] | undefined;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly jsonFile: string | undefined;
  /** Whether the change-events stage runs (issue 12): by default, or when `--scenario` names `events`. */
  readonly events: boolean;
  /** Events in the large stream of the pull API measure. */
  readonly pullEvents: number;
  /** PostgreSQL only: seed as a first sync leaves the tables, without statistics (no VACUUM ANALYZE, no index build). */
  readonly withoutStatistics: boolean;
}

/** Issue 5: the default run compares a small and a large tenant. */
export const DEFAULT_SIZES = [1000, 100_000] as const;

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return value;
}

function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a number > 0');
  return value;
}

function databaseKind(raw: string): BenchDatabaseKind | 'all' {
  if (raw !== 'sqlite' && raw !== 'postgres' && raw !== 'all') throw new InvalidArgumentError('must be sqlite, postgres or all');
  return raw;
}

interface RawOptions {
  users?: number;
  db: BenchDatabaseKind | 'all';
  scenario?: string;
  duration: number;
  warmup: number;
  connections: number;
  json?: string;
  events: boolean;
  pullEvents: number;
  statistics: boolean;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const command = new Command('bench')
    .description('Roster throughput, latency, tenant-size scaling and memory, beside a bare Nest + Fastify baseline')
    .option('--users <n>', `tenant size (default: ${DEFAULT_SIZES.join(' and ')})`, positiveInteger)
    .option(
      '--db <kind>',
      'sqlite, postgres (a fresh database on 127.0.0.1:5432, dropped afterwards) or all: SQLite, then PostgreSQL after VACUUM ANALYZE, then PostgreSQL without statistics for the statistics-sensitive scenarios',
      databaseKind,
      'all',
    )
    .option('--scenario <names>', 'run only these scenarios, comma-separated (the baseline always runs)')
    .option('--duration <s>', 'measured seconds per scenario', positiveNumber, 5)
    .option('--warmup <s>', 'unmeasured seconds before each scenario', positiveNumber, 1)
    .option('--connections <n>', 'concurrent connections', positiveInteger, 10)
    .option('--json <file>', 'also write the figures as JSON')
    .option('--no-events', 'skip the change-events stage (webhook write cost, delivery lag, pull API at a million events)')
    .option('--pull-events <n>', 'events in the large stream of the pull API measure', positiveInteger, 1_000_000)
    .option('--no-statistics', 'with --db postgres: a tenant fresh from its first sync (no VACUUM ANALYZE, indexes kept through the load), every scenario')
    .parse(argv, { from: 'user' });
  const raw = command.opts<RawOptions>();
  const scenarios = raw.scenario?.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const passes: BenchPass[] =
    raw.db === 'all'
      ? [
          { db: 'sqlite', withoutStatistics: false },
          { db: 'postgres', withoutStatistics: false },
          { db: 'postgres', withoutStatistics: true, only: STATISTICS_SENSITIVE_SCENARIOS },
        ]
      : [{ db: raw.db, withoutStatistics: raw.db === 'postgres' && !raw.statistics }];
  return {
    sizes: raw.users === undefined ? DEFAULT_SIZES : [raw.users],
    passes,
    db: passes[0].db,
    // `events` names the change-events stage, not a scenario of the tenant sizes.
    scenarios: scenarios === undefined ? undefined : scenarios.filter((name) => name !== 'events'),
    events: raw.events && (scenarios === undefined || scenarios.includes('events')),
    pullEvents: raw.pullEvents,
    durationSeconds: raw.duration,
    warmupSeconds: raw.warmup,
    connections: raw.connections,
    jsonFile: raw.json,
    withoutStatistics: passes[0].withoutStatistics,
  };
}
