import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import type { RosterHarness } from './roster-harness.js';

/** One statement as the service sent it to the driver: driver placeholders and bound values. */
export interface CapturedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** The service's TypeORM data source, for reading what it wrote and how the database plans it. */
export function rosterDataSource(roster: RosterHarness): DataSource {
  return roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
}

/**
 * Runs `work` while recording every statement the service sends, through TypeORM's logger hook
 * (every query runner calls `logQuery` before it executes, whatever `logging` says), so a test
 * can plan the SQL the service really runs instead of a hand-written copy of it.
 */
export async function captureStatements(roster: RosterHarness, work: () => Promise<void>): Promise<CapturedStatement[]> {
  const logger = rosterDataSource(roster).logger;
  const original = logger.logQuery.bind(logger);
  const captured: CapturedStatement[] = [];
  logger.logQuery = (query: string, parameters?: unknown[], queryRunner?: QueryRunner) => {
    captured.push({ sql: query, parameters: parameters ?? [] });
    original(query, parameters, queryRunner);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  return captured;
}
