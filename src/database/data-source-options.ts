import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseOptions } from '../config/roster-options.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export const SQLITE_MEMORY = ':memory:';

/** TypeORM options for either engine. Never `synchronize`: the migrations own the schema. */
export function buildDataSourceOptions(database: DatabaseOptions): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false } as const;
  if (database.kind === 'postgres') {
    // A server that accepts TCP but never answers must not hold requests forever: after 5 s
    // waiting for a connection the request fails, and answers 503 (src/database/unavailable.ts).
    return { ...common, type: 'postgres', url: database.url, extra: { max: 10, connectionTimeoutMillis: 5000, keepAlive: true } };
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
    },
  };
}
