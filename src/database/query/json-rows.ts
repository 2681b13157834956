/**
 * Rows of a subquery folded into one JSON array of arrays, so that one statement can answer a
 * resource and its related rows in a single round trip (issue 15). SQLite answers `[]` for no
 * rows and text, PostgreSQL NULL for no rows and the parsed array (pg parses `json`).
 *
 * The rows come back in the order of `orderBy`, text keys ascending, but the sort happens here,
 * not in the aggregate: an `ORDER BY` inside SQLite's json_group_array opens a sorter for every
 * row it aggregates, which cost 7.5 of the access statement's 17.2 µs (three aggregates, measured
 * on a 1,000-user tenant). A key that is not one of the value columns travels after them; keys
 * are compared by code point, which is the order both engines give them: SQLite's BINARY collation compares
 * UTF-8 bytes, and PostgreSQL's key columns are COLLATE "C" (the migrations).
 */
export interface JsonRowsShape {
  /** The columns each row holds, in order. */
  readonly columns: readonly string[];
  /** Text columns the rows are ordered by, ascending, first the first; none for no order. */
  readonly orderBy: readonly string[];
}

export function jsonRowsAggregate(shape: JsonRowsShape, isPostgres: boolean): string {
  const selected = [...shape.columns, ...extraKeys(shape)].join(', ');
  return isPostgres ? `json_agg(json_build_array(${selected}))` : `json_group_array(json_array(${selected}))`;
}

/** What jsonRowsAggregate's column holds, as rows of column values in `shape`'s order (each row may end with its extra keys). */
export function parseJsonRows(json: unknown, shape: JsonRowsShape): (readonly unknown[])[] {
  if (json === null || json === undefined) return [];
  const rows = (typeof json === 'string' ? JSON.parse(json) : json) as unknown[][];
  if (shape.orderBy.length > 0 && rows.length > 1) {
    const keys = keyPositionsOf(shape);
    rows.sort((a, b) => compareKeys(a, b, keys));
  }
  return rows;
}

/** Each shape's key positions, worked out once: a shape is a loader's constant, met on every row of every page. */
const knownKeyPositions = new WeakMap<JsonRowsShape, readonly number[]>();

function keyPositionsOf(shape: JsonRowsShape): readonly number[] {
  let positions = knownKeyPositions.get(shape);
  if (positions === undefined) {
    positions = keyPositions(shape);
    knownKeyPositions.set(shape, positions);
  }
  return positions;
}

/** The ordering keys that are not value columns, selected after them. */
function extraKeys({ columns, orderBy }: JsonRowsShape): string[] {
  return orderBy.filter((key) => !columns.includes(key));
}

/** Where each ordering key sits in a row: its value column, or its place after them. */
function keyPositions(shape: JsonRowsShape): number[] {
  const extra = extraKeys(shape);
  return shape.orderBy.map((key) => (shape.columns.includes(key) ? shape.columns.indexOf(key) : shape.columns.length + extra.indexOf(key)));
}

function compareKeys(a: readonly unknown[], b: readonly unknown[], positions: readonly number[]): number {
  for (let k = 0; k < positions.length; k++) {
    const x = a[positions[k]];
    const y = b[positions[k]];
    const order = compareCodePoints(typeof x === 'string' ? x : String(x), typeof y === 'string' ? y : String(y));
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Code point order, which is UTF-8 byte order. JavaScript's `<` compares UTF-16 code units,
 * which puts a character above U+FFFF (a surrogate pair, D800–DFFF) before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A code unit's place in code point order: surrogates after the rest of the BMP. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
