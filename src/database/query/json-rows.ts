/**
 * Rows of a subquery folded into one JSON array of arrays, so that one statement can answer a
 * resource and its related rows in a single round trip (issue 15). SQLite (≥ 3.44) and
 * PostgreSQL both take ORDER BY inside the aggregate; SQLite answers `[]` for no rows and text,
 * PostgreSQL NULL for no rows and the parsed array (pg parses `json`).
 */
export function jsonRowsAggregate(columns: readonly string[], orderBy: string | undefined, isPostgres: boolean): string {
  const order = orderBy === undefined ? '' : ` ORDER BY ${orderBy}`;
  return isPostgres ? `json_agg(json_build_array(${columns.join(', ')})${order})` : `json_group_array(json_array(${columns.join(', ')})${order})`;
}

/** What jsonRowsAggregate's column holds, as rows of column values. */
export function parseJsonRows(json: unknown): (readonly unknown[])[] {
  if (json === null || json === undefined) return [];
  return (typeof json === 'string' ? JSON.parse(json) : json) as unknown[][];
}
