import type { BenchDatabaseKind } from './cli-options.js';
import type { BuiltScenario } from './scenarios.js';
import type { SizeFigures } from './size-run.js';

export interface Verdict {
  readonly goal: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Issue 5's goals, as ratios within this one run; issue 6's per-scenario goals live on the scenarios. */
export const GOALS = {
  /** Issue 5's 0.40, which issue 15's table keeps for SQLite and sets at 0.25 for PostgreSQL. */
  getUserShareOfBaseline: { sqlite: 0.4, postgres: 0.25 },
  /** Issue 15: an IdP's match-by-filter costs little more than a GET by id, with or without statistics. */
  filterShareOfGetUser: 0.6,
  /** Issue 15: a page of 100 users against one GET by id. */
  listPageShareOfGetUser: 0.1,
  /** Issue 15: the admin access endpoint, asked on every session check of the platform. */
  accessShareOfBaseline: 0.3,
  maxLoopStallMs: 50,
  maxRssGrowthMb: 50,
  maxStartupVsBaseline: 2,
} as const;

const fixed = (value: number, digits = 2) => value.toFixed(digits);

/**
 * Reads judged by their throughput against GET /Users/{id} at the same N: the filters every Entra
 * or Okta sync sends per user, and the first page of 100 users by index and by cursor (issue 15's
 * "list page of 100", what an Okta import pages through).
 */
const SHARES_OF_GET_USER: readonly (readonly [scenario: string, share: number])[] = [
  ...['filter-user-name', 'filter-external-id', 'filter-work-email'].map((name) => [name, GOALS.filterShareOfGetUser] as const),
  ...['list-index-shallow', 'list-cursor-shallow'].map((name) => [name, GOALS.listPageShareOfGetUser] as const),
];

/** The verdicts of a run's sizes on one database (`db` picks the goals that differ by engine). */
export function judge(sizes: readonly SizeFigures[], scenarios: readonly BuiltScenario[], db: BenchDatabaseKind): Verdict[] {
  const verdicts: Verdict[] = [];
  const getUserGoal = GOALS.getUserShareOfBaseline[db];
  for (const size of sizes) {
    const at = `N=${size.users}`;
    const getUser = size.scenarios.find((run) => run.name === 'get-user');
    if (getUser) {
      verdicts.push({
        goal: `GET /Users/{id} ≥ ${getUserGoal} × baseline throughput (${at}, ${db})`,
        passed: getUser.ratioToBaseline >= getUserGoal,
        detail: `${fixed(getUser.ratioToBaseline)} (${fixed(getUser.okPerSecond, 0)} vs ${fixed(size.baseline.okPerSecond, 0)} req/s)`,
      });
    }
    const access = size.scenarios.find((run) => run.name === 'access');
    if (access) {
      verdicts.push({
        goal: `GET …/users/{id}/access ≥ ${GOALS.accessShareOfBaseline} × baseline throughput (${at})`,
        passed: access.ratioToBaseline >= GOALS.accessShareOfBaseline,
        detail: `${fixed(access.ratioToBaseline)} (${fixed(access.okPerSecond, 0)} vs ${fixed(size.baseline.okPerSecond, 0)} req/s)`,
      });
    }
    for (const [name, goal] of SHARES_OF_GET_USER) {
      const read = size.scenarios.find((run) => run.name === name);
      if (!read || !getUser) continue;
      const share = read.okPerSecond / getUser.okPerSecond;
      verdicts.push({
        goal: `${name} ≥ ${goal} × GET /Users/{id} throughput (${at})`,
        passed: share >= goal,
        detail: `${fixed(share)} (${fixed(read.okPerSecond, 0)} vs ${fixed(getUser.okPerSecond, 0)} req/s)`,
      });
    }
    for (const scenario of scenarios) {
      const run = size.scenarios.find((candidate) => candidate.name === scenario.name);
      if (!run) continue;
      if (scenario.maxP50Ms !== undefined) {
        verdicts.push({
          goal: `${scenario.name}: p50 ≤ ${scenario.maxP50Ms} ms (${at})`,
          passed: run.p50Ms <= scenario.maxP50Ms,
          detail: `${fixed(run.p50Ms)} ms (p99 ${fixed(run.p99Ms)} ms, ${run.requests} requests${run.note ? `, ${run.note}` : ''})`,
        });
      }
      const reference = size.scenarios.find((candidate) => candidate.name === scenario.throughputVs?.scenario);
      if (scenario.throughputVs && reference) {
        const ratio = run.okPerSecond / reference.okPerSecond;
        verdicts.push({
          goal: `${scenario.name}: throughput ≥ ${scenario.throughputVs.ratio} × ${reference.name} (${at})`,
          passed: ratio >= scenario.throughputVs.ratio,
          detail: `${fixed(reference.okPerSecond, 0)} → ${fixed(run.okPerSecond, 0)} req/s (${fixed(ratio)}×; p50 ${fixed(reference.p50Ms)} → ${fixed(run.p50Ms)} ms)`,
        });
      }
      if (scenario.maxRssRiseMb !== undefined) {
        const rise = run.rssPeakMb - run.rssBeforeMb;
        verdicts.push({
          goal: `${scenario.name}: service RSS peak < ${scenario.maxRssRiseMb} MB over its RSS before the scenario (${at})`,
          passed: rise < scenario.maxRssRiseMb,
          detail: `${fixed(run.rssBeforeMb, 0)} → ${fixed(run.rssPeakMb, 0)} MB peak (+${fixed(rise, 0)} MB), p50 ${fixed(run.p50Ms, 0)} ms`,
        });
      }
    }
    for (const scenario of scenarios) {
      const deep = size.scenarios.find((run) => run.name === scenario.name);
      const shallow = size.scenarios.find((run) => run.name === scenario.comparedTo?.scenario);
      if (!scenario.comparedTo || !deep || !shallow) continue;
      verdicts.push({
        goal: `${scenario.name}: p50 ≤ ${scenario.comparedTo.factor} × ${shallow.name} (${at})`,
        passed: deep.p50Ms <= scenario.comparedTo.factor * shallow.p50Ms,
        detail: `${fixed(shallow.p50Ms)} → ${fixed(deep.p50Ms)} ms (${fixed(deep.p50Ms / shallow.p50Ms)}×)`,
      });
    }
    if (size.scenarios.length > 0) {
      // Judged over every scenario that ran; each one's own maximum is in the table's last column.
      const worst = size.scenarios.reduce((a, b) => (b.loopMaxMs > a.loopMaxMs ? b : a));
      const stalled = size.scenarios.filter((run) => run.loopMaxMs > GOALS.maxLoopStallMs);
      verdicts.push({
        goal: `no event-loop stall over ${GOALS.maxLoopStallMs} ms in the service (${at})`,
        passed: stalled.length === 0,
        detail:
          stalled.length <= 1
            ? `max ${fixed(worst.loopMaxMs, 1)} ms during ${worst.name}`
            : `over the limit in ${stalled.map((run) => `${run.name} (${fixed(run.loopMaxMs, 1)} ms)`).join(', ')}`,
      });
      const failing = size.scenarios.filter((run) => run.errors > 0);
      verdicts.push({
        goal: `no non-2xx answers or socket errors (${at})`,
        passed: failing.length === 0,
        detail: failing.length === 0 ? '0 errors' : failing.map((run) => `${run.name}: ${run.errors} ${JSON.stringify(run.statusCounts)}`).join('; '),
      });
    }
    verdicts.push({
      goal: `start-up ≤ ${GOALS.maxStartupVsBaseline} × baseline start-up (${at})`,
      passed: size.serviceStartupMs <= GOALS.maxStartupVsBaseline * size.baselineStartupMs,
      detail: `${fixed(size.serviceStartupMs, 0)} ms vs ${fixed(size.baselineStartupMs, 0)} ms (${fixed(size.serviceStartupMs / size.baselineStartupMs)}×)`,
    });
  }
  if (sizes.length < 2) return verdicts;
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  const between = `N=${small.users} → N=${large.users}`;
  for (const scenario of scenarios.filter((candidate) => candidate.sizeSensitive)) {
    const before = small.scenarios.find((run) => run.name === scenario.name);
    const after = large.scenarios.find((run) => run.name === scenario.name);
    if (!before || !after) continue;
    verdicts.push({
      goal: `${scenario.name}: p50 ≤ ${scenario.latencyFactor} × (${between})`,
      passed: after.p50Ms <= scenario.latencyFactor * before.p50Ms,
      detail: `${fixed(before.p50Ms)} → ${fixed(after.p50Ms)} ms (${fixed(after.p50Ms / before.p50Ms)}×)`,
    });
  }
  const growth = large.serviceRssEndMb - small.serviceRssEndMb;
  verdicts.push({
    goal: `service RSS growth < ${GOALS.maxRssGrowthMb} MB (${between}, after all scenarios)`,
    passed: growth < GOALS.maxRssGrowthMb,
    detail: `${fixed(small.serviceRssEndMb, 0)} → ${fixed(large.serviceRssEndMb, 0)} MB (${growth >= 0 ? '+' : ''}${fixed(growth, 0)} MB)`,
  });
  return verdicts;
}
