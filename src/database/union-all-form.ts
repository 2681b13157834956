import { COALESCED_SLOT, type IdRow, type RunPositional, type SharedStatementForm } from './shared-statement-form.js';
import { shiftPositional } from './sql-placeholders.js';

/** Statement texts whose shared forms are kept; past this many the kept forms start again. */
const MAX_SHARED_TEXTS = 200;

/**
 * Value sets as the branches of one `UNION ALL`, each branch the whole statement with its own
 * placeholders, tagged with its set's slot: any engine, any statement (SQLite's form). Each
 * set count from 2 up is a text of its own.
 */
export class UnionAllForm implements SharedStatementForm {
  /** Each statement's shared forms by set count, built once: shifting every branch's placeholders cost a 900-character scan per branch per batch. */
  private readonly sharedTexts = new Map<string, string[]>();

  constructor(private readonly run: RunPositional) {}

  async rowsOf(text: string, valueSets: readonly (readonly unknown[])[]): Promise<IdRow[][]> {
    const width = valueSets[0]?.length ?? 0;
    const rows = await this.run<IdRow>(this.sharedText(text, width, valueSets.length), valueSets.flat());
    const answers: IdRow[][] = valueSets.map(() => []);
    for (const row of rows) answers[Number(row[COALESCED_SLOT])].push(row);
    return answers;
  }

  /** The same string each time, so the prepared-statement caches find it without hashing 7 KB again. */
  private sharedText(text: string, width: number, calls: number): string {
    let forms = this.sharedTexts.get(text);
    if (forms === undefined) {
      if (this.sharedTexts.size >= MAX_SHARED_TEXTS) this.sharedTexts.clear();
      this.sharedTexts.set(text, (forms = []));
    }
    let shared = forms[calls];
    if (shared === undefined) {
      const branches = Array.from({ length: calls }, (_, k) => `SELECT ${k} AS ${COALESCED_SLOT}, b${k}.* FROM (${shiftPositional(text, k * width)}) b${k}`);
      forms[calls] = shared = branches.join(' UNION ALL ');
    }
    return shared;
  }
}
