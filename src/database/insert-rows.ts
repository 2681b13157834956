import type { EntityManager } from 'typeorm';

/** Rows per INSERT: 500 events of 13 columns stay far below either engine's limit on bound values. */
const ROWS_PER_INSERT = 500;

/**
 * Inserts rows in multi-row INSERTs with positional parameters (`?` on SQLite, `$n` on
 * PostgreSQL), `conflict` (e.g. `ON CONFLICT DO NOTHING`) after each.
 *
 * Not through runSql's `:named` parameters: a PATCH adding 1,000 members writes 1,000 events, and
 * naming 13,000 values one by one and having TypeORM find each name again in the text took a
 * fifth of that request's CPU on the event loop (issue 15's profile). TypeORM also writes numbers
 * into the SQLite text as literals, so each chunk's text was new and compiled anew; here an integer
 * is bound as one (a BigInt, which better-sqlite3 binds as INTEGER, as the literal was), and the
 * text of a full chunk is always the same.
 */
export async function insertRows(manager: EntityManager, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], conflict = ''): Promise<void> {
  const { driver } = manager.connection;
  const isSqlite = manager.connection.options.type !== 'postgres';
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      if (row.length !== columns.length) throw new Error(`insertRows(${table}): a row has ${row.length} values for ${columns.length} columns`);
      const placeholders = row.map((value) => {
        values.push(bindable(value, isSqlite));
        return driver.createParameter('v', values.length - 1);
      });
      return `(${placeholders.join(', ')})`;
    });
    const suffix = conflict === '' ? '' : ` ${conflict}`;
    await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${suffix}`, values);
  }
}

/** On SQLite, the value as TypeORM's SQLite driver binds it: booleans as 0/1 (better-sqlite3 binds none), integers as INTEGER, not REAL. */
function bindable(value: unknown, isSqlite: boolean): unknown {
  if (!isSqlite) return value;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return value;
}
