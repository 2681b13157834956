import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BenchDatabaseKind, BenchOptions } from './cli-options.js';
import type { RunFigures, SizeFigures } from './size-run.js';
import type { Verdict } from './verdicts.js';

const HEADER = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', '× base', 'RSS peak MB', 'loop max ms'];

export function formatSize(size: SizeFigures): string {
  const lines = [
    `N = ${size.users} users: seeded in ${size.seedSeconds.toFixed(2)} s (groups ${size.groupSeedSeconds.toFixed(2)} s of it; migrations ${size.migrateSeconds.toFixed(2)} s); ` +
      `start-up service ${size.serviceStartupMs.toFixed(0)} ms, baseline ${size.baselineStartupMs.toFixed(0)} ms; ` +
      `service RSS ${size.serviceRssReadyMb.toFixed(0)} MB ready → ${size.serviceRssEndMb.toFixed(0)} MB at the end; body ${size.bodyBytes} B`,
  ];
  const rows = [HEADER, row(size.baseline), ...size.scenarios.map(row)];
  for (const scenario of size.pending) rows.push([scenario.name, `not built yet (issue ${scenario.issue})`, '', '', '', '', '', '', '']);
  return [...lines, ...table(rows)].join('\n');
}

function row(run: RunFigures): string[] {
  return [
    run.name,
    run.okPerSecond.toFixed(0),
    run.p50Ms.toFixed(2),
    run.p99Ms.toFixed(2),
    run.maxMs.toFixed(1),
    String(run.errors),
    run.ratioToBaseline.toFixed(2),
    run.rssPeakMb.toFixed(0),
    run.loopMaxMs.toFixed(1),
  ];
}

function table(rows: readonly string[][]): string[] {
  const widths = HEADER.map((_, column) => Math.max(...rows.filter((cells) => cells[column] !== '').map((cells) => cells[column].length)));
  return rows.map((cells) => {
    // A "not built yet" note spans the figure columns instead of widening the req/s column.
    if (cells[2] === '' && cells[1] !== '') return `${cells[0].padEnd(widths[0])}  ${cells[1]}`;
    return cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  });
}

export function formatVerdicts(verdicts: readonly Verdict[]): string {
  return verdicts.map((verdict) => `${verdict.passed ? 'PASS' : 'FAIL'}  ${verdict.goal}: ${verdict.detail}`).join('\n');
}

/** One engine's figures and verdicts, as the JSON report holds them. */
export interface PassReport {
  readonly db: BenchDatabaseKind;
  readonly withoutStatistics: boolean;
  readonly sizes: readonly SizeFigures[];
  readonly verdicts: readonly Verdict[];
}

export async function writeJsonReport(file: string, options: BenchOptions, passes: readonly PassReport[]): Promise<void> {
  const report = {
    startedAt: new Date().toISOString(),
    node: process.version,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    passes: passes.map((pass) => ({
      ...pass,
      sizes: pass.sizes.map((size) => ({ ...size, pending: size.pending.map(({ name, title, issue }) => ({ name, title, issue })) })),
    })),
  };
  // After a 20-minute run, a missing folder must not lose the figures.
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
