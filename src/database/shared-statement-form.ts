/** Runs one statement: positional SQL (`$1`, `$2`…) and its values. */
export type RunPositional = <T>(sql: string, values: readonly unknown[]) => Promise<T[]>;

/** A row of a statement whose rows are ordered by, and carry, `id`. */
export type IdRow = Record<string, unknown> & { readonly id: string };

/** The column that says which call a row of a shared statement answers. */
export const COALESCED_SLOT = 'coalesced_slot';

/**
 * How the value sets of one positional statement run together as one statement (or as few as
 * the engine allows): UNION ALL branches (union-all-form.ts) or, on PostgreSQL, one lateral
 * subquery over the value sets (pg-lateral-form.ts).
 */
export interface SharedStatementForm {
  /** The rows of each value set (`valueSets[k]` binds `$1`, `$2`… of `text`), in the order of `valueSets`; each set's rows in any order. */
  rowsOf(text: string, valueSets: readonly (readonly unknown[])[]): Promise<IdRow[][]>;
}
