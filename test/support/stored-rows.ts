import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import type { RosterHarness } from './roster-harness.js';

/** Tables holding a tenant's groups, their members, their filter index and the roles they create. */
export const GROUP_TABLES = ['groups', 'group_members', 'group_values', 'roles'] as const;

/** Rows per table for a tenant: compared before and after a refused write, proof that nothing was stored. */
export async function storedRows(roster: RosterHarness, tenantId: string, tables: readonly string[] = GROUP_TABLES): Promise<Record<string, number>> {
  const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
  const placeholder = roster.options.database.kind === 'postgres' ? '$1' : '?';
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const rows = (await dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ${placeholder}`, [tenantId])) as { n: number | string }[];
    counts[table] = Number(rows[0].n);
  }
  return counts;
}
