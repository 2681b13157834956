import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRosterApp } from '../../src/app.js';
import { DEFAULT_OPTIONS, type DatabaseOptions, type RosterOptions } from '../../src/config/roster-options.js';
import type { RosterLogger } from '../../src/logging/roster-logger.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { HttpClient } from './http-client.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123';

export interface RosterHarness {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly http: HttpClient;
  readonly options: RosterOptions;
  close(): Promise<void>;
}

/** The real service, on a fresh database with migrations applied, listening on a loopback port. */
export async function startRoster(kind: DatabaseKind, overrides: Partial<RosterOptions> = {}, logger: RosterLogger | false = false): Promise<RosterHarness> {
  const database: TestDatabase = await createTestDatabase(kind);
  try {
    const roster = await startRosterOn(database.options, overrides, logger);
    return {
      ...roster,
      close: async () => {
        await roster.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The real service on an existing database; `close` stops it and leaves the database. */
export async function startRosterOn(
  database: DatabaseOptions,
  overrides: Partial<RosterOptions> = {},
  logger: RosterLogger | false = false,
): Promise<RosterHarness> {
  const options: RosterOptions = {
    ...DEFAULT_OPTIONS,
    publicUrl: 'https://roster.example.test',
    adminToken: TEST_ADMIN_TOKEN,
    database,
    ...overrides,
  };
  const app = await createRosterApp(options, logger);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const baseUrl = await app.getUrl();
  return { app, baseUrl, http: new HttpClient(baseUrl), options, close: () => app.close() };
}
