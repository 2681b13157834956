import { availableParallelism } from 'node:os';
import { parseBenchOptions, type BenchOptions, type BenchPass } from './cli-options.js';
import { createBenchDatabase, isPostgresReachable } from './database.js';
import { formatSize, formatVerdicts, writeJsonReport, type PassReport } from './report.js';
import { SCENARIOS, type BuiltScenario, type PendingScenario } from './scenarios.js';
import { formatEvents, judgeEvents, runEventsStage } from './events-run.js';
import { runSize, type SizeFigures } from './size-run.js';
import { judge, type Verdict } from './verdicts.js';

const options = parseBenchOptions(process.argv.slice(2));
const unknown = options.scenarios?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
if (unknown.length > 0 || (options.scenarios?.length === 0 && !options.events)) {
  process.stderr.write(`bench: unknown scenario "${unknown.join(', ')}"; one of: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

process.stdout.write(
  `Roster bench: ${options.passes.map(passLabel).join('; ')}; sizes ${options.sizes.join(', ')}, ${options.connections} connections, ` +
    `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per scenario, ${availableParallelism()} CPUs, node ${process.version}\n` +
    'Load generator, service and baseline share this machine; ratios to the baseline are the figures to compare.\n\n',
);

const reports: PassReport[] = [];
const verdicts: Verdict[] = [];
for (const pass of options.passes) {
  const label = passLabel(pass);
  if (pass.db === 'postgres' && !(await isPostgresReachable())) {
    process.stdout.write(`== ${label}: skipped, no PostgreSQL answers on 127.0.0.1:5432\n\n`);
    continue;
  }
  process.stdout.write(`== ${label}\n\n`);
  const passOptions: BenchOptions = { ...options, db: pass.db, withoutStatistics: pass.withoutStatistics, events: options.events && pass.only === undefined };
  const { sizes, verdicts: passVerdicts } = await runPass(pass, passOptions);
  const labelled = options.passes.length > 1 ? passVerdicts.map((verdict) => ({ ...verdict, goal: `[${shortLabel(pass)}] ${verdict.goal}` })) : passVerdicts;
  reports.push({ db: pass.db, withoutStatistics: pass.withoutStatistics, sizes, verdicts: labelled });
  verdicts.push(...labelled);
}

process.stdout.write(`Goals (issues 5, 6, 12, 14 and 15)\n${formatVerdicts(verdicts)}\n`);
if (options.jsonFile) {
  await writeJsonReport(options.jsonFile, options, reports);
  process.stdout.write(`\nJSON written to ${options.jsonFile}\n`);
}

/** One engine's sizes (each on a database of its own), its verdicts, then its change-events stage. */
async function runPass(pass: BenchPass, passOptions: BenchOptions): Promise<{ sizes: SizeFigures[]; verdicts: Verdict[] }> {
  const chosen = SCENARIOS.filter(
    (scenario) => (passOptions.scenarios === undefined || passOptions.scenarios.includes(scenario.name)) && (pass.only === undefined || pass.only.includes(scenario.name)),
  );
  const built = chosen.filter((scenario): scenario is BuiltScenario => scenario.built);
  const pending = chosen.filter((scenario): scenario is PendingScenario => !scenario.built);
  const sizes: SizeFigures[] = [];
  // `--scenario events` alone runs the change-events stage only.
  const runSizes = built.length + pending.length > 0;
  for (const size of runSizes ? passOptions.sizes : []) {
    const database = await createBenchDatabase(pass.db, size);
    try {
      const figures = await runSize(size, database, built, pending, passOptions);
      sizes.push(figures);
      process.stdout.write(`${formatSize(figures)}\n\n`);
    } finally {
      await database.drop();
    }
  }
  const passVerdicts = judge(sizes, built, pass.db);
  if (passOptions.events) {
    const events = await runEventsStage(passOptions);
    process.stdout.write(`${formatEvents(events)}\n\n`);
    passVerdicts.push(...judgeEvents(events));
  }
  return { sizes, verdicts: passVerdicts };
}

function passLabel(pass: BenchPass): string {
  if (pass.db === 'sqlite') return 'sqlite';
  return pass.withoutStatistics ? `postgres without statistics (a tenant fresh from its first sync)${pass.only ? `: ${pass.only.join(', ')}` : ''}` : 'postgres after VACUUM ANALYZE';
}

function shortLabel(pass: BenchPass): string {
  return pass.db === 'sqlite' ? 'sqlite' : pass.withoutStatistics ? 'postgres, no statistics' : 'postgres';
}
