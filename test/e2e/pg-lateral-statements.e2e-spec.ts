import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { PreparedSql } from '../../src/database/prepared-sql.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/databases.js';

interface Row {
  readonly id: string;
  readonly name: string;
}

/** Reads made from separate macrotask callbacks of one loop turn, as concurrent requests make them. */
function fromSeparateCallbacks<T>(reads: readonly (() => Promise<T>)[]): Promise<T[]> {
  return Promise.all(reads.map((read) => new Promise<T>((resolve, reject) => setImmediate(() => read().then(resolve, reject)))));
}

/** Text, integer, boolean and timestamp parameters, and a bound OFFSET. */
const PAGE =
  'SELECT t.id, t.name FROM people t WHERE t.tenant = :tenant AND t.name >= :from AND t.rank <= :maxRank AND t.active = :active AND t.seen < :before ' +
  'ORDER BY t.id ASC LIMIT 2 OFFSET :pageOffset';

/**
 * Lookups that arrive together share one statement on PostgreSQL: one lateral subquery over
 * arrays of their values, each array typed as PostgreSQL types the placeholder in the statement
 * alone (pg-lateral-form.ts). Each call must get what it gets alone, whatever its values' types,
 * characters and OFFSET.
 */
describeOnPostgres('Lookups sharing a lateral statement, on %s', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sql: PreparedSql;
  let statements: string[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dataSource = new DataSource(buildDataSourceOptions(database.options));
    await dataSource.initialize();
    await dataSource.query(
      'CREATE TABLE people (id varchar(8) PRIMARY KEY, tenant varchar(8) NOT NULL, name text NOT NULL, rank integer NOT NULL, active boolean NOT NULL, seen timestamptz NOT NULL)',
    );
    // Inserted out of id order, so that an answer in id order is the statement's doing.
    await dataSource.query(
      `INSERT INTO people VALUES
        ('c3', 'a', 'carol', 3, true, '2026-01-03T00:00:00Z'), ('a1', 'a', 'alice', 1, true, '2026-01-01T00:00:00Z'),
        ('b2', 'a', 'bob', 2, false, '2026-01-02T00:00:00Z'), ('d4', 'b', 'dave', 4, true, '2026-01-04T00:00:00Z'),
        ('e5', 'b', 'erin', 5, true, '2026-01-05T00:00:00Z'), ('f6', 'a', 'o''brien, "x" {y} \\z', 6, true, '2026-01-06T00:00:00Z')`,
    );
    sql = new PreparedSql(dataSource);
    const logQuery = dataSource.logger.logQuery.bind(dataSource.logger);
    dataSource.logger.logQuery = (query, parameters, runner) => {
      statements.push(query);
      logQuery(query, parameters, runner);
    };
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });
  beforeEach(() => (statements = []));

  const call = (tenant: string, from: string, maxRank: number, active: boolean, pageOffset = 0) => ({ tenant, from, maxRank, active, before: '2026-02-01T00:00:00Z', pageOffset });
  const alone = async (params: Record<string, unknown>): Promise<string[]> => (await sql.allNamed<Row>(PAGE, params)).map((row) => row.id);

  it('answers calls that arrive together from one statement, each with its own rows in id order, as alone', async () => {
    const calls = [
      call('a', 'a', 10, true),
      call('b', 'a', 10, true),
      call('a', 'a', 10, false),
      call('a', 'a', 2, true),
      call('a', 'z', 10, true),
      call('a', 'o\'brien, "x" {y} \\z', 10, true),
      call('a', 'a', 10, true),
    ];
    const expected = [];
    for (const params of calls) expected.push(await alone(params));
    expect(expected).toEqual([['a1', 'c3'], ['d4', 'e5'], ['b2'], ['a1'], [], ['f6'], ['a1', 'c3']]);
    statements = [];
    const answers = await fromSeparateCallbacks(calls.map((params) => () => sql.allNamedInIdOrder<Row>(PAGE, params)));
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual(expected);
    const shared = statements.filter((text) => text.includes('CROSS JOIN LATERAL'));
    expect(shared).toHaveLength(1);
    expect(statements.filter((text) => text.startsWith('SELECT t.id'))).toEqual([]);
  });

  it('shares a statement between calls whose OFFSETs differ, each paged as alone', async () => {
    const calls = [call('a', 'a', 10, true, 0), call('a', 'a', 10, true, 1), call('b', 'a', 10, true, 0), call('a', 'a', 10, true, 1), call('a', 'a', 10, true, 2)];
    const expected = [];
    for (const params of calls) expected.push(await alone(params));
    expect(expected).toEqual([['a1', 'c3'], ['c3', 'f6'], ['d4', 'e5'], ['c3', 'f6'], ['f6']]);
    statements = [];
    const answers = await fromSeparateCallbacks(calls.map((params) => () => sql.allNamedInIdOrder<Row>(PAGE, params)));
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual(expected);
    expect(statements.filter((text) => text.includes('CROSS JOIN LATERAL'))).toHaveLength(1);
    expect(statements.filter((text) => text.startsWith('SELECT t.id'))).toEqual([]);
  });

  it('runs a statement without placeholders once for each call, there being nothing to unnest', async () => {
    const fixed = "SELECT t.id, t.name FROM people t WHERE t.tenant = 'b' ORDER BY t.id ASC";
    const answers = await fromSeparateCallbacks([() => sql.allNamedInIdOrder<Row>(fixed, {}), () => sql.allNamedInIdOrder<Row>(fixed, {})]);
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual([
      ['d4', 'e5'],
      ['d4', 'e5'],
    ]);
    expect(statements.filter((text) => text.includes('CROSS JOIN LATERAL') || text.startsWith('PREPARE'))).toEqual([]);
    expect(statements.filter((text) => text === fixed)).toHaveLength(2);
  });

  it('fails every call of a statement that failed, and only those', async () => {
    const broken = PAGE.replace('people', 'nobody');
    const settled = await Promise.allSettled([
      sql.allNamedInIdOrder<Row>(broken, call('a', 'a', 10, true)),
      sql.allNamedInIdOrder<Row>(PAGE, call('b', 'a', 10, true)),
      sql.allNamedInIdOrder<Row>(broken, call('b', 'a', 10, true)),
    ]);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value.map((row) => row.id) : (result.reason as Error).message))).toEqual([
      'relation "nobody" does not exist',
      ['d4', 'e5'],
      'relation "nobody" does not exist',
    ]);
  });
});
