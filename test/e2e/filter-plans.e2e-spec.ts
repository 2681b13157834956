import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { captureStatements, type CapturedStatement, rosterDataSource } from '../support/captured-sql.js';
import { describeOnPostgres } from '../support/databases.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { usersApi, type UsersApi } from '../support/scim-users.js';

// Enough users that the users table outgrows the few pages PostgreSQL would rather read whole
// than probe by key (at about 300 users in a fresh database it reads them all, in under 2 ms,
// and probes the lookup index by key once per user: linear in a table that small, not quadratic).
const USERS = 400;
const AT_ONCE = 10;
const FILTERS = ['userName eq "user-250@example.com"', 'externalId eq "ext-250"', 'emails[type eq "work"].value eq "work-250@example.com"'];

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Index Cond'?: string;
  readonly Plans?: PlanNode[];
}

type ExplainRow = { 'QUERY PLAN': { Plan: PlanNode }[] };

/** A bound value as an SQL literal, for EXECUTE (the statements bind text, arrays of ids or of lookups' values, and a page's OFFSET). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]${value.every((element) => typeof element === 'number') ? '' : '::text[]'}`;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') throw new Error(`unexpected bound value ${JSON.stringify(value)}`);
  return `'${value.replace(/'/g, "''")}'`;
}

/** Every scan in a plan, as "<table> via <index>: <index condition>", or "<table> seq scan". */
function scansOf(node: PlanNode): string[] {
  const own = node['Relation Name'] === undefined ? [] : [`${node['Relation Name']} ${node['Index Name'] === undefined ? `${node['Node Type']}` : `via ${node['Index Name']}: ${node['Index Cond'] ?? 'no key'}`}`];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}

/** How a plan reads `users`: "<index>: <condition>" per index scan, directly or under a bitmap heap scan. */
function usersIndexes(node: PlanNode, underUsers = false): string[] {
  const onUsers = node['Relation Name'] === 'users';
  const own = (onUsers || underUsers) && node['Index Name'] !== undefined ? [`${node['Index Name']}: ${node['Index Cond'] ?? 'no key'}`] : [];
  const seq = onUsers && node['Node Type'] === 'Seq Scan' ? ['seq scan'] : [];
  return [...own, ...seq, ...(node.Plans ?? []).flatMap((child) => usersIndexes(child, onUsers && node['Node Type'] === 'Bitmap Heap Scan'))];
}

/** A scan that goes in by a key: the value lookup by its value, a values row or a user by the resource id. */
function isKeyed(scan: string): boolean {
  if (scan.startsWith('user_values via ix_user_values_lookup:')) return scan.includes('key_prefix');
  if (scan.startsWith('user_values via ix_user_values_resource:')) return scan.includes('(resource_id)::text =');
  if (scan.startsWith('users via users_pkey:')) return scan.includes('(id)::text =');
  // A found user's groups and grants, read in the same statement: probes by its id.
  if (scan.startsWith('group_members via ix_group_members_member:')) return scan.includes('member_id = (r.id)::text');
  if (scan.startsWith('user_library_grants via ix_user_library_grants_holder:')) return scan.includes('user_id = (r.id)::text');
  if (scan.startsWith('groups via groups_pkey:') || scan.startsWith('libraries via libraries_pkey:')) return scan.includes('(id)::text =');
  return false;
}

// Plans (and the statistics they may depend on) are PostgreSQL's; SQLite has no ANALYZE-less trap of this shape to test.
describeOnPostgres('Filter plans on a tenant fresh from its first sync, on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let users: UsersApi;

  /** PostgreSQL's plan for a statement as the service sent it, with its values. */
  const customPlan = async (statement: CapturedStatement): Promise<PlanNode> => {
    const rows = (await rosterDataSource(roster).query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters])) as ExplainRow[];
    return rows[0]['QUERY PLAN'][0].Plan;
  };

  /**
   * The plan PostgreSQL would reuse for the statement prepared by name, after its fifth run:
   * a generic plan, made without the values, so without what statistics say about them.
   */
  const genericPlan = async (statement: CapturedStatement): Promise<PlanNode> => {
    const runner = rosterDataSource(roster).createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET plan_cache_mode = force_generic_plan');
      await runner.query(`PREPARE listed AS ${statement.sql}`);
      const execute = `EXECUTE listed (${statement.parameters.map(literal).join(', ')})`;
      const rows = (await runner.query(`EXPLAIN (FORMAT JSON) ${execute}`)) as ExplainRow[];
      // A generic plan compares with the parameters, not with their values (VERBOSE shows a function scan's arguments too).
      const verbose = (await runner.query(`EXPLAIN (FORMAT JSON, VERBOSE) ${execute}`)) as ExplainRow[];
      await runner.query('DEALLOCATE listed');
      await runner.query('RESET plan_cache_mode');
      expect(JSON.stringify(verbose[0]['QUERY PLAN'][0].Plan)).toMatch(/\$\d/);
      return rows[0]['QUERY PLAN'][0].Plan;
    } finally {
      await runner.release();
    }
  };

  /** The statements a filtered list runs that read the filter index, and the scans PostgreSQL plans for each. */
  const plannedScans = async (filter: string, planOf: (statement: CapturedStatement) => Promise<PlanNode>): Promise<{ sql: string; scans: string[] }[]> => {
    const statements: CapturedStatement[] = await captureStatements(roster, async () => {
      const listed = await roster.http.get<{ totalResults: number }>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}`, { token: users.token });
      expect(listed.status).toBe(200);
      expect(listed.body.totalResults).toBe(1);
    });
    const lookups = statements.filter((statement) => statement.sql.includes('user_values'));
    expect(lookups.length).toBeGreaterThan(0);
    const planned: { sql: string; scans: string[] }[] = [];
    for (const statement of lookups) planned.push({ sql: statement.sql, scans: scansOf(await planOf(statement)) });
    return planned;
  };

  const expectKeyedPlans = async (planOf: (statement: CapturedStatement) => Promise<PlanNode>): Promise<void> => {
    for (const filter of FILTERS) {
      for (const { sql, scans } of await plannedScans(filter, planOf)) {
        expect({ filter, sql, unkeyed: scans.filter((scan) => !isKeyed(scan)) }).toEqual({ filter, sql, unkeyed: [] });
        expect(scans.some((scan) => scan.startsWith('user_values via ix_user_values_lookup:'))).toBe(true);
      }
    }
  };

  /** A statement's custom and generic plans with sequential scans off. */
  const plansWithoutSeqScans = async ({ sql, parameters }: CapturedStatement): Promise<PlanNode[]> => {
    const runner = rosterDataSource(roster).createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET enable_seqscan = off');
      const custom = (await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, [...parameters])) as ExplainRow[];
      await runner.query('SET plan_cache_mode = force_generic_plan');
      await runner.query(`PREPARE by_ids AS ${sql}`);
      const generic = (await runner.query(`EXPLAIN (FORMAT JSON) EXECUTE by_ids (${parameters.map(literal).join(', ')})`)) as ExplainRow[];
      await runner.query('DEALLOCATE by_ids');
      await runner.query('RESET plan_cache_mode');
      await runner.query('RESET enable_seqscan');
      return [custom, generic].map((rows) => rows[0]['QUERY PLAN'][0].Plan);
    } finally {
      await runner.release();
    }
  };

  /**
   * The scans of `users` PostgreSQL plans (custom, then generic) for the statement that reads an
   * unfiltered list page: its ids from the tenant's index, then its users (a keyed filter's page
   * reads its users in its own statement, planned above). Sequential scans are ruled out: a table
   * of a few hundred rows is read whole anyway, and the question is which index the planner takes
   * for the page's users when it could walk the tenant again instead of probing the primary key
   * (a tenant-leading index, walked at 100,000 users for 60 ms a page).
   */
  const pageUsersScans = async (): Promise<string[][]> => {
    const statements = await captureStatements(roster, async () => {
      const listed = await roster.http.get<{ Resources: unknown[] }>('/scim/v2/Users?count=5', { token: users.token });
      expect(listed.body.Resources).toHaveLength(5);
    });
    const pages = statements.filter((statement) => statement.sql.startsWith('SELECT q.k0, r.id, r.data'));
    expect(pages).toHaveLength(1);
    return (await plansWithoutSeqScans(pages[0])).map((plan) => usersIndexes(plan));
  };

  beforeAll(async () => {
    roster = await startRoster(kind, { rateLimits: { readPerSecond: 100_000, writePerSecond: 100_000 } });
    // Autovacuum would analyse the tables a minute into the test; an IdP's first sync does not wait for it.
    await rosterDataSource(roster).query('ALTER TABLE users SET (autovacuum_enabled = false); ALTER TABLE user_values SET (autovacuum_enabled = false)');
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    users = usersApi(roster, await requestAccessToken(roster.http, connection));
    for (let start = 0; start < USERS; start += AT_ONCE) {
      await Promise.all(
        Array.from({ length: AT_ONCE }, async (_, i) => {
          const n = start + i;
          const created = await users.create({
            userName: `user-${n}@example.com`,
            externalId: `ext-${n}`,
            emails: [{ type: 'work', value: `work-${n}@example.com` }, { type: 'home', value: `home-${n}@example.org` }],
          });
          expect(created.status).toBe(201);
        }),
      );
    }
  }, 180_000);
  afterAll(() => roster.close());

  it('has no statistics on the users and their filter index yet', async () => {
    const stats = (await rosterDataSource(roster).query(`SELECT COUNT(*) AS n FROM pg_stats WHERE tablename IN ('users', 'user_values')`)) as { n: string }[];
    expect(Number(stats[0].n)).toBe(0);
  });

  it('finds userName, externalId and work-email matches by the value lookup index and users by id, without statistics', async () => {
    await expectKeyedPlans(customPlan);
  });

  it('reads the page\'s users by their ids, not by a second walk over the tenant, custom and generic, without statistics', async () => {
    // Found at 100,000 users: `tenant_id = $1 AND id = ANY($2)` walked the tenant's index (60 ms).
    for (const scans of await pageUsersScans()) {
      // The page from the tenant's live index, then each of its users by primary key, probed with the page's id.
      const [page, ...rows] = scans;
      expect(page).toMatch(/^ix_users_live: \(tenant_id = /);
      expect(rows).toEqual([expect.stringMatching(/^users_pkey: \(\(id\)::text = \(\w+\.id\)::text\)$/)]);
    }
  });

  it('keeps those plans in the generic plan a named prepared statement switches to, without statistics', async () => {
    await expectKeyedPlans(genericPlan);
  });

  /** The statements that `send` made, sent `times` at once until one of them was batched (CoalescedIdReads), and one sent alone. */
  const batchedAndAlone = async (sql: string, send: () => Promise<number>[]): Promise<{ batched: CapturedStatement; alone: CapturedStatement }> => {
    let batched: CapturedStatement[] = [];
    for (let round = 0; round < 10 && batched.length === 0; round++) {
      const statements = await captureStatements(roster, async () => {
        expect(new Set(await Promise.all(send()))).toEqual(new Set([200]));
      });
      batched = statements.filter((statement) => statement.sql.startsWith(sql) && statement.sql.includes('ANY($2::varchar[])'));
    }
    expect({ sql, batched: batched.length > 0 }).toEqual({ sql, batched: true });
    const alone = await captureStatements(roster, async () => {
      expect(await send()[0]).toBe(200);
    });
    return { batched: batched[0], alone: alone.filter((statement) => statement.sql.startsWith(sql))[0] };
  };

  /** A plan's scans, with the user's id spelled alike whether it is bound (`$2`, a literal) or the batched row's (`u.id`). */
  const userScans = (plan: PlanNode, userId: string): string[] =>
    scansOf(plan)
      .filter((scan) => !scan.startsWith('users '))
      .map((scan) => scan.replaceAll('(u.id)::text', 'USER').replaceAll(`'${userId}'::text`, 'USER').replaceAll('$2', 'USER'));

  it('reads the users of GETs that arrive together by primary key, custom and generic, without statistics', async () => {
    const listed = await roster.http.get<{ Resources: { id: string }[] }>('/scim/v2/Users?count=10', { token: users.token });
    const ids = listed.body.Resources.map((user) => user.id);
    const { batched } = await batchedAndAlone('SELECT r.id, r.data', () => ids.map(async (id) => (await roster.http.get(`/scim/v2/Users/${id}`, { token: users.token })).status));
    // As for a page's users (above): sequential scans ruled out, the question is whether the ids
    // drive the plan or a walk over the tenant's index does.
    for (const plan of await plansWithoutSeqScans(batched)) {
      expect(usersIndexes(plan)).toEqual([expect.stringMatching(/^users_pkey: \(\(id\)::text = ANY \(/)]);
      const others = scansOf(plan).filter((scan) => !scan.startsWith('users '));
      expect({ others, unkeyed: others.filter((scan) => !isKeyed(scan)) }).toEqual({ others, unkeyed: [] });
    }
  });

  it('reads the users of access requests that arrive together by primary key, and each user\'s rows as one request alone does, without statistics', async () => {
    const listed = await roster.http.get<{ Resources: { id: string }[] }>('/scim/v2/Users?count=10', { token: users.token });
    const ids = listed.body.Resources.map((user) => user.id);
    const accessOf = async (id: string) => (await roster.http.get(`/admin/tenants/${tenantId}/users/${id}/access`, { token: TEST_ADMIN_TOKEN })).status;
    const { batched, alone } = await batchedAndAlone('SELECT u.id, u.active', () => ids.map(accessOf));
    const [batchedCustom, batchedGeneric] = await plansWithoutSeqScans(batched);
    const [aloneCustom, aloneGeneric] = await plansWithoutSeqScans(alone);
    for (const plan of [batchedCustom, batchedGeneric]) expect(usersIndexes(plan)).toEqual([expect.stringMatching(/^users_pkey: \(\(id\)::text = ANY \(/)]);
    expect(userScans(batchedCustom, '')).toEqual(userScans(aloneCustom, String(alone.parameters[1])));
    expect(userScans(batchedGeneric, '')).toEqual(userScans(aloneGeneric, ''));
  });

  it('keeps each lookup keyed in the statement concurrent filters share, custom and generic, without statistics', async () => {
    for (const [attribute, values] of [
      ['userName', (n: number) => `user-${n}@example.com`],
      ['externalId', (n: number) => `ext-${n}`],
      ['emails[type eq "work"].value', (n: number) => `work-${n}@example.com`],
    ] as const) {
      let shared: CapturedStatement[] = [];
      for (let round = 0; round < 10 && shared.length === 0; round++) {
        const statements = await captureStatements(roster, async () => {
          const answers = await Promise.all(
            [100, 200, 300, 399].map((n) => roster.http.get<{ totalResults: number }>(`/scim/v2/Users?filter=${encodeURIComponent(`${attribute} eq "${values(n)}"`)}`, { token: users.token })),
          );
          expect(answers.map((answer) => answer.body.totalResults)).toEqual([1, 1, 1, 1]);
        });
        shared = statements.filter((statement) => statement.sql.includes(' CROSS JOIN LATERAL ') && statement.sql.includes('user_values'));
      }
      expect({ attribute, shared: shared.length > 0 }).toEqual({ attribute, shared: true });
      for (const planOf of [customPlan, genericPlan]) {
        const plan = await planOf(shared[0]);
        const scans = scansOf(plan);
        expect({ attribute, unkeyed: scans.filter((scan) => !isKeyed(scan)) }).toEqual({ attribute, unkeyed: [] });
        expect(scans.filter((scan) => scan.startsWith('user_values via ix_user_values_lookup:'))).toHaveLength(1);
        // The lookup runs once per value set, inside the loop over them, not once over the tenant joined to the sets afterwards.
        expect(plan['Node Type']).toBe('Nested Loop');
        expect(plan.Plans?.[0]['Node Type']).toBe('Function Scan');
      }
    }
  });

  it('runs every session with generic plans, so a named statement is not planned again at each run on a tenant without statistics', async () => {
    // With `auto`, PostgreSQL kept planning each run of a filter afresh while the tables had no
    // statistics (0.47–0.60 ms a run against 0.31 ms); the generic plans are the ones checked above.
    const runner = rosterDataSource(roster).createQueryRunner();
    await runner.connect();
    try {
      expect(await runner.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'force_generic_plan' }]);
    } finally {
      await runner.release();
    }
  });

  it('keeps those plans once the tables are analysed, custom and generic', async () => {
    await rosterDataSource(roster).query('VACUUM ANALYZE users');
    await rosterDataSource(roster).query('VACUUM ANALYZE user_values');
    await expectKeyedPlans(customPlan);
    await expectKeyedPlans(genericPlan);
  });
});
