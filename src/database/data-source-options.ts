import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseOptions } from '../config/roster-options.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export const SQLITE_MEMORY = ':memory:';

/**
 * Where SQLite keeps the temporary B-trees of a statement: a sorted page's ORDER BY, a filtered
 * page's window count, a UNION's distinct rows. In a file (the default), a connection that writes
 * nothing opened and removed one per statement: a `userName eq` filter took 480–600 µs instead of
 * 20–30 µs on the read connection (sqlite-read-connection.ts). They hold one statement's sort.
 */
export const SQLITE_TEMP_STORE = 'MEMORY';

/**
 * How PostgreSQL plans a prepared statement's later runs. With `auto`, a statement gets a plan
 * of its own for each run (parsed once, planned every time) for as long as the planner expects
 * that to beat a generic plan, which is for ever on a tenant fresh from its first sync: no
 * statistics. The hot reads (PreparedSql's named statements) are shaped so that their generic
 * plans use the value lookup whatever the statistics (filter-plans e2e test), so planning them
 * again is waste: a `userName eq` filter took 0.47–0.60 ms a run with `auto` and 0.31 ms with
 * generic plans on a 1,000-user tenant without statistics. TypeORM's own statements are unnamed,
 * planned at each run either way, and key lookups whose generic plans are the same index scans.
 */
export const PG_PLAN_CACHE_MODE = 'force_generic_plan';

/** TypeORM options for either engine. Never `synchronize`: the migrations own the schema. */
export function buildDataSourceOptions(database: DatabaseOptions): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false } as const;
  if (database.kind === 'postgres') {
    // A server that accepts TCP but never answers must not hold requests forever: after 5 s
    // waiting for a connection the request fails, and answers 503 (src/database/unavailable.ts).
    return { ...common, type: 'postgres', url: database.url, extra: { max: 10, connectionTimeoutMillis: 5000, keepAlive: true, options: `-c plan_cache_mode=${PG_PLAN_CACHE_MODE}` } };
  }
  const file = database.file === SQLITE_MEMORY ? SQLITE_MEMORY : resolve(database.file);
  if (file !== SQLITE_MEMORY) mkdirSync(dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL lets readers run beside the one writer; busy_timeout makes a second writer wait instead of failing.
    enableWAL: file !== SQLITE_MEMORY,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma(`temp_store = ${SQLITE_TEMP_STORE}`);
    },
  };
}
