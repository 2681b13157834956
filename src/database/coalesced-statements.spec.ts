import { createRequire } from 'node:module';
import { CoalescedStatements } from './coalesced-statements.js';
import { positionalSql, sqliteNamedSql } from './sql-placeholders.js';

/** As much of better-sqlite3 as the spec uses (the package ships no types). */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): void; all(params?: Record<string, unknown>): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => SqliteDatabase;

interface Row {
  readonly id: string;
  readonly name: string;
}

/** Reads made from separate macrotask callbacks of one loop turn, as concurrent requests make them. */
function fromSeparateCallbacks<T>(reads: readonly (() => Promise<T>)[]): Promise<T[]> {
  return Promise.all(reads.map((read) => new Promise<T>((resolve, reject) => setImmediate(() => read().then(resolve, reject)))));
}

const PAGE = 'SELECT t.id, t.name FROM people t WHERE t.tenant = :tenant AND t.name >= :from ORDER BY t.id ASC LIMIT 2 OFFSET :pageOffset';

describe('CoalescedStatements, on a real SQLite database', () => {
  let db: SqliteDatabase;
  let statements: { sql: string; values: readonly unknown[]; turn: number }[];
  let shared: CoalescedStatements;
  /** Counts loop turns while a test runs (a setImmediate chain), so a statement says in which turn it ran. */
  let turn: number;
  let counting: boolean;
  const countTurns = (): void => {
    if (!counting) return;
    turn++;
    setImmediate(countTurns);
  };
  const coalesced = (turnEach: boolean): CoalescedStatements =>
    new CoalescedStatements(
      (sql, params) => positionalSql(sql, new Set(Object.keys(params))),
      <T>(sql: string, values: readonly unknown[]) => {
        statements.push({ sql, values, turn });
        const named = Object.fromEntries(values.map((value, i) => [`p${i + 1}`, value]));
        try {
          return Promise.resolve(db.prepare(sqliteNamedSql(sql)).all(named) as T[]);
        } catch (error) {
          // As PreparedSql does (QueryFailedError): the driver's error, loaded outside Jest's realm here, as an Error of ours.
          return Promise.reject(new Error((error as { message: string }).message));
        }
      },
      { turnEach },
    );

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE people (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO people VALUES (?, ?, ?)');
    // Inserted out of id order, so that an answer in id order is the statement's doing.
    for (const [id, tenant, name] of [
      ['c3', 'a', 'carol'],
      ['a1', 'a', 'alice'],
      ['b2', 'a', 'bob'],
      ['d4', 'b', 'dave'],
      ['e5', 'b', 'erin'],
    ]) {
      insert.run(id, tenant, name);
    }
    statements = [];
    shared = coalesced(false);
    turn = 0;
    counting = true;
    setImmediate(countTurns);
  });
  afterEach(() => {
    counting = false;
    db.close();
  });

  const alone = (params: Record<string, unknown>): Row[] =>
    db.prepare(sqliteNamedSql(positionalSql(PAGE, new Set(Object.keys(params))).text)).all(Object.fromEntries(positionalSql(PAGE, new Set(Object.keys(params))).names.map((name, i) => [`p${i + 1}`, params[name]]))) as Row[];

  it('answers calls of one text that arrive together from one statement, each with its own rows in id order, as alone', async () => {
    const calls = [
      { tenant: 'a', from: 'a', pageOffset: 0 },
      { tenant: 'b', from: 'a', pageOffset: 0 },
      { tenant: 'a', from: 'a', pageOffset: 2 },
      { tenant: 'a', from: 'z', pageOffset: 0 },
      { tenant: 'a', from: 'b', pageOffset: 0 },
    ];
    const answers = await fromSeparateCallbacks(calls.map((params) => () => shared.all<Row>(PAGE, params)));
    expect(answers.map((rows) => rows.map((row) => ({ id: row.id, name: row.name })))).toEqual(calls.map(alone));
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual([['a1', 'b2'], ['d4', 'e5'], ['c3'], [], ['b2', 'c3']]);
    expect(statements).toHaveLength(1);
    expect(statements[0].sql.split(' UNION ALL ')).toHaveLength(5);
    // Each branch's own values, after the earlier branches'.
    expect(statements[0].values).toEqual(calls.flatMap((call) => [call.tenant, call.from, call.pageOffset]));
  });

  it('runs a call alone, and calls of different texts, as their own statements', async () => {
    const other = PAGE.replace('>=', '<=');
    const answers = await fromSeparateCallbacks([() => shared.all<Row>(PAGE, { tenant: 'a', from: 'b', pageOffset: 0 }), () => shared.all<Row>(other, { tenant: 'a', from: 'b', pageOffset: 0 })]);
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual([['b2', 'c3'], ['a1']]);
    expect(statements.map((statement) => statement.sql.includes('UNION ALL'))).toEqual([false, false]);
  });

  it('puts at most 8 calls in a statement', async () => {
    const calls = Array.from({ length: 19 }, (_, i) => ({ tenant: i % 2 === 0 ? 'a' : 'b', from: 'a', pageOffset: 0 }));
    const answers = await fromSeparateCallbacks(calls.map((params) => () => shared.all<Row>(PAGE, params)));
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual(calls.map((call) => (call.tenant === 'a' ? ['a1', 'b2'] : ['d4', 'e5'])));
    expect(statements.map((statement) => statement.sql.split(' UNION ALL ').length)).toEqual([8, 8, 3]);
    // Without turnEach (PostgreSQL, whose statements yield by themselves) a batch's statements start together.
    expect(new Set(statements.map((statement) => statement.turn)).size).toBe(1);
  });

  it('with turnEach (SQLite), runs each statement of a batch on a loop turn of its own, answering every call as alone', async () => {
    const paced = coalesced(true);
    const calls = Array.from({ length: 19 }, (_, i) => ({ tenant: i % 2 === 0 ? 'a' : 'b', from: 'a', pageOffset: 0 }));
    const answers = await fromSeparateCallbacks(calls.map((params) => () => paced.all<Row>(PAGE, params)));
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual(calls.map((call) => (call.tenant === 'a' ? ['a1', 'b2'] : ['d4', 'e5'])));
    expect(statements.map((statement) => statement.sql.split(' UNION ALL ').length)).toEqual([8, 8, 3]);
    const turns = statements.map((statement) => statement.turn);
    expect(turns[1]).toBeGreaterThan(turns[0]);
    expect(turns[2]).toBeGreaterThan(turns[1]);
  });

  it('answers batches of one text but different sizes, one after another, each from a statement of its size', async () => {
    const sizes = [3, 5, 3, 1, 5];
    for (const size of sizes) {
      const calls = Array.from({ length: size }, (_, i) => ({ tenant: i % 2 === 0 ? 'b' : 'a', from: 'b', pageOffset: 0 }));
      const answers = await fromSeparateCallbacks(calls.map((params) => () => shared.all<Row>(PAGE, params)));
      expect(answers.map((rows) => rows.map((row) => row.id))).toEqual(calls.map((call) => (call.tenant === 'a' ? ['b2', 'c3'] : ['d4', 'e5'])));
    }
    expect(statements.map((statement) => statement.sql.split(' UNION ALL ').length)).toEqual(sizes);
  });

  it('fails every call of a statement that failed, and only those', async () => {
    const broken = PAGE.replace('people', 'nobody');
    const settled = await Promise.allSettled([
      shared.all<Row>(broken, { tenant: 'a', from: 'a', pageOffset: 0 }),
      shared.all<Row>(PAGE, { tenant: 'b', from: 'a', pageOffset: 0 }),
      shared.all<Row>(broken, { tenant: 'b', from: 'a', pageOffset: 0 }),
    ]);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value.map((row) => row.id) : (result.reason as Error).message))).toEqual([
      'no such table: nobody',
      ['d4', 'e5'],
      'no such table: nobody',
    ]);
  });
});
