import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseOptions } from '../../src/config/roster-options.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The engines this run covers, chosen by `npm test` (test/support/run-tests.mjs). */
export function databaseKinds(): DatabaseKind[] {
  const listed = (process.env.ROSTER_TEST_DATABASES ?? 'sqlite').split(',');
  return listed.filter((kind): kind is DatabaseKind => kind === 'sqlite' || kind === 'postgres');
}

/**
 * A suite only PostgreSQL can run (plans, replicas sharing one server): on PostgreSQL when this run
 * has it, otherwise skipped, and Jest's summary counts it among the skipped (`npm test` without a
 * server still passes on SQLite and says what it skipped).
 */
export function describeOnPostgres(title: string, body: (kind: 'postgres') => void): void {
  if (databaseKinds().includes('postgres')) {
    describe.each(['postgres' as const])(title, body);
    return;
  }
  describe.skip(title.replace('%s', 'PostgreSQL (not in this run)'), () => {
    it('needs PostgreSQL', () => undefined);
  });
}

export interface TestDatabase {
  readonly options: DatabaseOptions;
  drop(): Promise<void>;
}

/** A brand-new, empty database for one suite: a temporary SQLite file, or a fresh PostgreSQL database. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'roster-test-'));
    return {
      options: { kind: 'sqlite', file: join(folder, 'roster.sqlite') },
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `roster_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    options: { kind: 'postgres', url: url.toString() },
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
