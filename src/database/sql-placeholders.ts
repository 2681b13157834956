/** SQL with `:name` placeholders rewritten to `$1`, `$2`…, and the names in their order. */
export interface PositionalSql {
  readonly text: string;
  readonly names: readonly string[];
}

/**
 * `:name` → `$n` for the names in `known` (the parameters given), the same name the same number
 * each time; everything inside quoted literals and identifiers, and `::` casts, left alone.
 */
export function positionalSql(sql: string, known: ReadonlySet<string>): PositionalSql {
  const names: string[] = [];
  const text = outsideQuotes(sql, (chunk) =>
    chunk.replace(/(?<!:):([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
      if (!known.has(name)) return whole;
      let at = names.indexOf(name);
      if (at < 0) at = names.push(name) - 1;
      return `$${at + 1}`;
    }),
  );
  return { text, names };
}

/** `$n` → `@pn` (better-sqlite3's named parameters, which may repeat), outside quotes. */
export function sqliteNamedSql(sql: string): string {
  return outsideQuotes(sql, (chunk) => chunk.replace(/\$(\d+)/g, '@p$1'));
}

/** `$n` → `$(n + by)`, outside quotes: positional SQL placed after `by` values of other SQL. */
export function shiftPositional(sql: string, by: number): string {
  return by === 0 ? sql : replacePositional(sql, (n) => `$${n + by}`);
}

/** Each `$n` outside quotes replaced by what `replace` makes of `n`. */
export function replacePositional(sql: string, replace: (n: number) => string): string {
  return outsideQuotes(sql, (chunk) => chunk.replace(/\$(\d+)/g, (_, n: string) => replace(Number(n))));
}

/** Applies `rewrite` to the parts of `sql` outside '…' literals and "…" identifiers ('' and "" escape a quote). */
function outsideQuotes(sql: string, rewrite: (chunk: string) => string): string {
  let result = '';
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const quote = sql[i];
    if (quote !== "'" && quote !== '"') continue;
    result += rewrite(sql.slice(start, i));
    let end = i + 1;
    for (;;) {
      end = sql.indexOf(quote, end);
      if (end < 0) {
        end = sql.length;
        break;
      }
      if (sql[end + 1] === quote) end += 2;
      else break;
    }
    result += sql.slice(i, end + 1);
    i = end;
    start = end + 1;
  }
  return result + rewrite(sql.slice(start));
}
