import { availableParallelism } from 'node:os';
import { parseBenchOptions } from './cli-options.js';
import { createBenchDatabase } from './database.js';
import { formatSize, formatVerdicts, writeJsonReport } from './report.js';
import { SCENARIOS, type BuiltScenario, type PendingScenario } from './scenarios.js';
import { formatEvents, judgeEvents, runEventsStage } from './events-run.js';
import { runSize, type SizeFigures } from './size-run.js';
import { judge } from './verdicts.js';

const options = parseBenchOptions(process.argv.slice(2));
const unknown = options.scenarios?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
if (unknown.length > 0 || (options.scenarios?.length === 0 && !options.events)) {
  process.stderr.write(`bench: unknown scenario "${unknown.join(', ')}"; one of: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
const chosen = SCENARIOS.filter((scenario) => options.scenarios === undefined || options.scenarios.includes(scenario.name));
const built = chosen.filter((scenario): scenario is BuiltScenario => scenario.built);
const pending = chosen.filter((scenario): scenario is PendingScenario => !scenario.built);

process.stdout.write(
  `Roster bench: ${options.db}${options.db === 'postgres' && options.withoutStatistics ? ' without statistics (a tenant fresh from its first sync)' : ''}, sizes ${options.sizes.join(', ')}, ${options.connections} connections, ` +
    `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per scenario, ${availableParallelism()} CPUs, node ${process.version}\n` +
    'Load generator, service and baseline share this machine; ratios to the baseline are the figures to compare.\n\n',
);

const sizes: SizeFigures[] = [];
// `--scenario events` alone runs the change-events stage only.
const runSizes = !(options.scenarios?.length === 0 && options.events);
for (const size of runSizes ? options.sizes : []) {
  const database = await createBenchDatabase(options.db, size);
  try {
    const figures = await runSize(size, database, built, pending, options);
    sizes.push(figures);
    process.stdout.write(`${formatSize(figures)}\n\n`);
  } finally {
    await database.drop();
  }
}

const verdicts = judge(sizes, built, options.db);
if (options.events) {
  const events = await runEventsStage(options);
  process.stdout.write(`${formatEvents(events)}\n\n`);
  verdicts.push(...judgeEvents(events));
}
process.stdout.write(`Goals (issues 5, 6, 12, 14 and 15)\n${formatVerdicts(verdicts)}\n`);
if (options.jsonFile) {
  await writeJsonReport(options.jsonFile, options, sizes, verdicts);
  process.stdout.write(`\nJSON written to ${options.jsonFile}\n`);
}
