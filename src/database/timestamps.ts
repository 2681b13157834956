/**
 * Timestamps are stored as fixed-width ISO-8601 UTC text (`2026-11-23T20:29:55.123Z`): it sorts
 * and compares correctly as text, so the same SQL (`last_modified > ?`, keyset pagination) runs
 * unchanged on SQLite, which has no timestamp type, and on PostgreSQL.
 */
export type IsoTimestamp = string;

export function nowIso(clock: () => Date = () => new Date()): IsoTimestamp {
  return clock().toISOString();
}

export function addSeconds(timestamp: IsoTimestamp, seconds: number): IsoTimestamp {
  return new Date(Date.parse(timestamp) + seconds * 1000).toISOString();
}
