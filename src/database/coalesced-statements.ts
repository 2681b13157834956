import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { type PositionalSql, shiftPositional } from './sql-placeholders.js';

/** Runs one statement: positional SQL (`$1`, `$2`…) and its values. */
export type RunPositional = <T>(sql: string, values: readonly unknown[]) => Promise<T[]>;
/** `:name` SQL as positional SQL, for the names `params` gives. */
export type CompileNamed = (sql: string, params: Readonly<Record<string, unknown>>) => PositionalSql;

interface NamedCall {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

type Row = Record<string, unknown> & { readonly id: string };

/** At most this many calls share a statement: each count from 2 up is a statement text of its own (and, on PostgreSQL, a named statement). */
const MAX_CALLS_PER_STATEMENT = 8;
/** The column that says which call a row of a shared statement answers. */
const SLOT = 'coalesced_slot';
/** Statement texts whose shared forms are kept; past this many the kept forms start again. */
const MAX_SHARED_TEXTS = 200;

/**
 * Calls of the same id-ordered statement that arrive together (an IdP's concurrent `userName eq`
 * lookups) run as one `UNION ALL` of their statements, each branch with its own parameters, its
 * tenant among them: one round trip, one pool connection and one statement for the server to run
 * instead of one each (issue 15, PostgreSQL's keyed filter pages). A branch keeps its own ORDER
 * BY, LIMIT and plan; its rows come back tagged with the branch, and are put back in id order,
 * which is their statement's order (ids are Roster's UUIDs, whose code-unit order is their
 * collation order in both engines). One call alone runs its own statement.
 *
 * A batch closes on `setImmediate`, as CoalescedIdReads' does, and nothing is cached.
 *
 * `turnEach`: for an engine that answers synchronously (SQLite), the batch's statements run on
 * loop turns of their own, one after another, so many lookups arriving together hold the loop
 * for one statement of at most MAX_CALLS_PER_STATEMENT pages at a time, not for all of them.
 */
export class CoalescedStatements {
  private readonly loader: DataLoader<NamedCall, Row[]>;
  /** Each statement's shared forms by call count, built once: shifting every branch's placeholders cost a 900-character scan per branch per batch. */
  private readonly sharedTexts = new Map<string, string[]>();

  constructor(
    private readonly compile: CompileNamed,
    private readonly run: RunPositional,
    private readonly turnEach = false,
  ) {
    this.loader = new DataLoader<NamedCall, Row[]>((calls) => this.runBatch(calls), { cache: false, batchScheduleFn: (go) => setImmediate(go) });
  }

  /** The rows of `sql` (`:name` placeholders, rows ordered by and carrying `id`) with `params`. */
  all<T>(sql: string, params: Readonly<Record<string, unknown>>): Promise<T[]> {
    return this.loader.load({ sql, params }) as Promise<T[]>;
  }

  /** Each call's rows, or the error of the statement it shared (dataloader rejects that call's load with it). */
  private async runBatch(calls: readonly NamedCall[]): Promise<(Row[] | Error)[]> {
    const answers: (Row[] | Error)[] = calls.map(() => []);
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
  private async runShared(sql: string, paramSets: readonly Readonly<Record<string, unknown>>[]): Promise<Row[][]> {
    const { text, names } = this.compile(sql, paramSets[0]);
    const values = paramSets.flatMap((params) => names.map((name) => params[name]));
    if (paramSets.length === 1) return [await this.run<Row>(text, values)];
    const rows = await this.run<Row & Record<typeof SLOT, number | string>>(this.sharedText(text, names.length, paramSets.length), values);
    const answers: Row[][] = paramSets.map(() => []);
    for (const row of rows) answers[Number(row[SLOT])].push(row);
    for (const answer of answers) answer.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return answers;
  }

  /**
   * `text` run for `calls` parameter sets of `width` values each, as one statement. The same
   * string each time, so the prepared-statement caches find it without hashing 7 KB again.
   */
  private sharedText(text: string, width: number, calls: number): string {
    let forms = this.sharedTexts.get(text);
    if (forms === undefined) {
      if (this.sharedTexts.size >= MAX_SHARED_TEXTS) this.sharedTexts.clear();
      this.sharedTexts.set(text, (forms = []));
    }
    let shared = forms[calls];
    if (shared === undefined) {
      const branches = Array.from({ length: calls }, (_, k) => `SELECT ${k} AS ${SLOT}, b${k}.* FROM (${shiftPositional(text, k * width)}) b${k}`);
      forms[calls] = shared = branches.join(' UNION ALL ');
    }
    return shared;
  }
}
