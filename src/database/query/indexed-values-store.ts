import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';
import type { IndexedValue } from '../../scim/query/indexed-values.js';
import { keyPrefixOf } from '../../scim/query/value-keys.js';
import { unindexedCheck } from './unindexed-check.js';

const COLUMNS = ['tenant_id', 'resource_id', 'attr', 'sub', 'element', 'key_prefix', 'text_key', 'num_value'];
// Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
const ROWS_PER_INSERT = 1000;

/**
 * Replaces one resource's filter index rows (src/scim/query/indexed-values.ts) inside the
 * caller's transaction, so the index never disagrees with the resource it describes. The rows
 * are found by the resource index alone (unindexed-check.ts says why the tenant is not a key).
 */
export async function replaceIndexedValues(
  manager: EntityManager,
  valuesTable: string,
  tenant: TenantId,
  resourceId: string,
  rows: readonly IndexedValue[],
): Promise<void> {
  await manager
    .createQueryBuilder()
    .delete()
    .from(valuesTable)
    .where(`resource_id = :resourceId AND ${unindexedCheck('tenant_id = :tenant')}`, { tenant, resourceId })
    .execute();
  await insertIndexedValues(manager, valuesTable, tenant, [{ resourceId, rows }]);
}

/** Inserts the index rows of resources that have none yet (new resources, migrations, the benchmark seeder). */
export async function insertIndexedValues(
  manager: EntityManager,
  valuesTable: string,
  tenant: TenantId,
  resources: readonly { readonly resourceId: string; readonly rows: readonly IndexedValue[] }[],
): Promise<void> {
  const records = resources.flatMap(({ resourceId, rows }) =>
    rows.map((row) => ({
      tenant_id: tenant,
      resource_id: resourceId,
      attr: row.attr,
      sub: row.sub,
      element: row.element,
      key_prefix: row.text === null ? null : keyPrefixOf(row.text),
      text_key: row.text,
      num_value: row.num,
    })),
  );
  for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(valuesTable, COLUMNS)
      .values(records.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
}
