import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';
import { CHECKPOINT_EVERY_MS, SqliteCheckpointer } from './sqlite-checkpointer.js';

/** Pages the database file itself holds (its header, bytes 28–31): what checkpoints have copied out of the WAL. */
function pagesInFile(file: string): number {
  return readFileSync(file).readUInt32BE(28);
}

describe('SqliteCheckpointer', () => {
  let folder: string;
  let file: string;
  let dataSource: DataSource;
  let checkpointer: SqliteCheckpointer;
  const pragma = async (name: string): Promise<unknown> => Object.values(((await dataSource.query(`PRAGMA ${name}`)) as Record<string, unknown>[])[0])[0];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'roster-checkpoint-'));
    file = join(folder, 'roster.sqlite');
    dataSource = await new DataSource(buildDataSourceOptions({ kind: 'sqlite', file })).initialize();
    await dataSource.query('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)');
    checkpointer = new SqliteCheckpointer(dataSource);
  });

  afterEach(async () => {
    await checkpointer.beforeApplicationShutdown();
    await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('stops the service connection checkpointing and copies its commits into the file from a worker', async () => {
    checkpointer.onModuleInit();
    expect(await pragma('wal_autocheckpoint')).toBe(0);
    // 2,000 pages: past SQLite's own 1,000-page threshold, which the connection no longer acts on.
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < 2000; i += 1) await manager.query('INSERT INTO rows (body) VALUES (?)', ['x'.repeat(3000)]);
    });
    const pages = Number(await pragma('page_count'));
    expect(pagesInFile(file)).toBeLessThan(pages);
    for (let waited = 0; pagesInFile(file) < pages && waited < 40 * CHECKPOINT_EVERY_MS; waited += CHECKPOINT_EVERY_MS) await sleep(CHECKPOINT_EVERY_MS);
    expect(pagesInFile(file)).toBe(pages);
  });

  it('hands checkpoints back to the connection when it stops', async () => {
    checkpointer.onModuleInit();
    await checkpointer.beforeApplicationShutdown();
    expect(await pragma('wal_autocheckpoint')).toBe(1000);
  });

  it('leaves an in-memory database alone', async () => {
    const memory = await new DataSource(buildDataSourceOptions({ kind: 'sqlite', file: ':memory:' })).initialize();
    const inMemory = new SqliteCheckpointer(memory);
    inMemory.onModuleInit();
    expect(await memory.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 1000 }]);
    await inMemory.beforeApplicationShutdown();
    await memory.destroy();
  });
});
