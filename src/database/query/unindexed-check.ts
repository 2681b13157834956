/**
 * `condition` as a check made on rows already found, which no index of either engine can
 * answer. Without statistics (a tenant fresh from its first sync) PostgreSQL estimates one row
 * for a scan of any tenant-leading index, as cheap as a primary-key probe, so a tenant test it
 * can index may become the plan: a walk over the tenant, once per row of the other side of a
 * join. Statements that find rows by a key (a resource id, a value lookup) state the tenant
 * this way, so the key is the only way in whatever the statistics say.
 */
export function unindexedCheck(condition: string): string {
  return `(CASE WHEN ${condition} THEN 1 ELSE 0 END) = 1`;
}
