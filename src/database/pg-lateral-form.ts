import { COALESCED_SLOT, type IdRow, type RunPositional, type SharedStatementForm } from './shared-statement-form.js';
import { replacePositional } from './sql-placeholders.js';

/** The types PostgreSQL infers for a statement's `$1`, `$2`…, in order (as `regtype` names them). */
export type ParameterTypesOf = (text: string) => Promise<readonly string[]>;

/** Statement texts whose lateral forms are kept; past this many the kept forms start again. */
const MAX_TEXTS = 200;
/** Aliases no statement of ours uses: the statement runs inside the lateral subquery unchanged but for its placeholders. */
const SETS = 'coalesced_sets';
const ROWS = 'coalesced_rows';

/**
 * Value sets as one statement on PostgreSQL: `unnest` of one array per placeholder, each typed
 * as PostgreSQL types that placeholder in the statement alone, and the statement as a `CROSS
 * JOIN LATERAL` subquery reading its values from the set's row (LIMIT and OFFSET too: a lateral
 * reference is a parameter to them). One text for any number of sets, where UNION ALL makes a
 * text, a named statement and a plan per set count: a connection's first run of an 8-branch
 * lookup planned for 52–58 ms against 2.6–4.4 ms, and a batch of 8 `userName eq` lookups ran in
 * 0.64–0.67 ms against 0.89–1.06 (issue 15, 1,000 users, generic plans). The statement keeps its
 * own plan inside the loop over the sets, its lookup index first: PostgreSQL cannot pull a
 * subquery with a LIMIT up into the join (filter-plans e2e test).
 */
export class PgLateralForm implements SharedStatementForm {
  private readonly texts = new Map<string, Promise<string>>();

  constructor(
    private readonly run: RunPositional,
    private readonly parameterTypesOf: ParameterTypesOf,
  ) {}

  async rowsOf(text: string, valueSets: readonly (readonly unknown[])[]): Promise<IdRow[][]> {
    const width = valueSets[0]?.length ?? 0;
    // Nothing to unnest: each set is the same statement with no values.
    if (width === 0) return Promise.all(valueSets.map(() => this.run<IdRow>(text, [])));
    const arrays = Array.from({ length: width }, (_, i) => valueSets.map((values) => values[i]));
    const answers: IdRow[][] = valueSets.map(() => []);
    // WITH ORDINALITY counts from 1.
    for (const row of await this.run<IdRow>(await this.lateralTextOf(text), arrays)) answers[Number(row[COALESCED_SLOT]) - 1].push(row);
    return answers;
  }

  /** Asked of PostgreSQL once per text; a failed question is asked again next time. */
  private lateralTextOf(text: string): Promise<string> {
    let lateral = this.texts.get(text);
    if (lateral === undefined) {
      if (this.texts.size >= MAX_TEXTS) this.texts.clear();
      lateral = this.parameterTypesOf(text).then((types) => lateralText(text, types));
      lateral.catch(() => this.texts.delete(text));
      this.texts.set(text, lateral);
    }
    return lateral;
  }
}

function lateralText(text: string, types: readonly string[]): string {
  const arrays = types.map((type, i) => `$${i + 1}::${type}[]`);
  const columns = types.map((_, i) => `c${i + 1}`);
  const inner = replacePositional(text, (n) => `${SETS}.c${n}`);
  return `SELECT ${SETS}.${COALESCED_SLOT}, ${ROWS}.* FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS ${SETS}(${columns.join(', ')}, ${COALESCED_SLOT}) CROSS JOIN LATERAL (${inner}) ${ROWS}`;
}
