import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import DataLoader from 'dataloader';
import type { IdRow, RunPositional, SharedStatementForm } from './shared-statement-form.js';
import type { PositionalSql } from './sql-placeholders.js';
import { UnionAllForm } from './union-all-form.js';

/** `:name` SQL as positional SQL, for the names `params` gives. */
export type CompileNamed = (sql: string, params: Readonly<Record<string, unknown>>) => PositionalSql;

interface NamedCall {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** At most this many calls share a statement. */
const MAX_CALLS_PER_STATEMENT = 8;

export interface CoalescingOptions {
  /** For an engine that answers synchronously (SQLite): see CoalescedStatements. */
  readonly turnEach?: boolean;
  /** How calls share a statement; UNION ALL branches by default. */
  readonly form?: SharedStatementForm;
}

/**
 * Calls of the same id-ordered statement that arrive together (an IdP's concurrent `userName eq`
 * lookups) run as one statement, each call with its own parameters, its tenant among them: one
 * round trip, one pool connection and one statement for the server to run instead of one each
 * (issue 15, PostgreSQL's keyed filter pages). The `form` says how (shared-statement-form.ts);
 * each call's statement keeps its own ORDER BY, LIMIT and plan in it, its rows come back tagged
 * with the call, and are put back in id order, which is their statement's order (ids are Roster's
 * UUIDs, whose code-unit order is their collation order in both engines). One call alone runs
 * its own statement.
 *
 * A batch closes on `setImmediate`, as CoalescedIdReads' does, and nothing is cached.
 *
 * `turnEach`: for an engine that answers synchronously (SQLite), the batch's statements run on
 * loop turns of their own, one after another, so many lookups arriving together hold the loop
 * for one statement of at most MAX_CALLS_PER_STATEMENT pages at a time, not for all of them.
 */
export class CoalescedStatements {
  private readonly loader: DataLoader<NamedCall, IdRow[]>;
  private readonly turnEach: boolean;
  private readonly form: SharedStatementForm;

  constructor(
    private readonly compile: CompileNamed,
    private readonly run: RunPositional,
    { turnEach = false, form = new UnionAllForm(run) }: CoalescingOptions = {},
  ) {
    this.turnEach = turnEach;
    this.form = form;
    this.loader = new DataLoader<NamedCall, IdRow[]>((calls) => this.runBatch(calls), { cache: false, batchScheduleFn: (go) => setImmediate(go) });
  }

  /** The rows of `sql` (`:name` placeholders, rows ordered by and carrying `id`) with `params`. */
  all<T>(sql: string, params: Readonly<Record<string, unknown>>): Promise<T[]> {
    return this.loader.load({ sql, params }) as Promise<T[]>;
  }

  /** Each call's rows, or the error of the statement it shared (dataloader rejects that call's load with it). */
  private async runBatch(calls: readonly NamedCall[]): Promise<(IdRow[] | Error)[]> {
    const answers: (IdRow[] | Error)[] = calls.map(() => []);
    const bySql = new Map<string, number[]>();
    calls.forEach((call, i) => {
      const same = bySql.get(call.sql);
      if (same === undefined) bySql.set(call.sql, [i]);
      else same.push(i);
    });
    const chunks: number[][] = [];
    for (const indexes of bySql.values()) {
      for (let start = 0; start < indexes.length; start += MAX_CALLS_PER_STATEMENT) chunks.push(indexes.slice(start, start + MAX_CALLS_PER_STATEMENT));
    }
    const runChunk = (chunk: readonly number[]): Promise<void> =>
      this.runShared(calls[chunk[0]].sql, chunk.map((i) => calls[i].params)).then(
        (rows) => chunk.forEach((i, k) => (answers[i] = rows[k])),
        (error: unknown) => chunk.forEach((i) => (answers[i] = error instanceof Error ? error : new Error(String(error)))),
      );
    if (!this.turnEach) {
      await Promise.all(chunks.map(runChunk));
      return answers;
    }
    for (const [k, chunk] of chunks.entries()) {
      if (k > 0) await nextLoopTurn();
      await runChunk(chunk);
    }
    return answers;
  }

  /** The rows of each parameter set, in one statement. */
  private async runShared(sql: string, paramSets: readonly Readonly<Record<string, unknown>>[]): Promise<IdRow[][]> {
    const { text, names } = this.compile(sql, paramSets[0]);
    const valueSets = paramSets.map((params) => names.map((name) => params[name]));
    if (valueSets.length === 1) return [await this.run<IdRow>(text, valueSets[0])];
    const answers = await this.form.rowsOf(text, valueSets);
    for (const answer of answers) answer.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return answers;
  }
}
