import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseOptions } from '../src/config/roster-options.js';
import type { BenchDatabaseKind } from './cli-options.js';

export interface BenchDatabase {
  /** What the service reads from `DATABASE_URL`. */
  readonly url: string;
  readonly options: DatabaseOptions;
  drop(): Promise<void>;
}

const POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432';

/** A database of its own for one tenant size, so that sizes never share rows, caches or files. */
export async function createBenchDatabase(kind: BenchDatabaseKind, size: number): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const folder = await mkdtemp(join(tmpdir(), 'roster-bench-'));
    const file = join(folder, 'roster.sqlite');
    return {
      url: `sqlite:${file}`,
      options: { kind: 'sqlite', file },
      drop: () => rm(folder, { recursive: true, force: true }),
    };
  }
  const name = `roster_bench_${process.pid}_${size}`;
  await administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await administer(`CREATE DATABASE ${name}`);
  const url = `${POSTGRES_SERVER}/${name}`;
  return {
    url,
    options: { kind: 'postgres', url },
    drop: () => administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Whether the bench's PostgreSQL server answers (the default run skips its PostgreSQL passes, and says so, when not). */
export async function isPostgresReachable(): Promise<boolean> {
  try {
    await administer('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

async function administer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
