import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';
import type { IndexedValue } from '../../scim/query/indexed-values.js';
import type { IndexedValuesDiff } from '../../scim/query/indexed-values-diff.js';
import { keyPrefixOf } from '../../scim/query/value-keys.js';
import { insertRows } from '../insert-rows.js';
import { runSql } from '../run-sql.js';
import { unindexedCheck } from './unindexed-check.js';

const COLUMNS = ['tenant_id', 'resource_id', 'attr', 'sub', 'element', 'key_prefix', 'text_key', 'num_value'];
// Each slot is an OR term: SQLite refuses expression trees deeper than 1,000.
const SLOTS_PER_DELETE = 100;

/**
 * Moves one resource's filter index rows (src/scim/query/indexed-values.ts) from what its previous
 * document produced to what its new one does, inside the caller's transaction, so the index never
 * disagrees with the resource it describes: the slots that changed lose their rows and get the
 * new ones, the rest are not touched. The rows are found by the resource index alone
 * (unindexed-check.ts says why the tenant is not a key).
 */
export async function updateIndexedValues(manager: EntityManager, valuesTable: string, tenant: TenantId, resourceId: string, diff: IndexedValuesDiff): Promise<void> {
  for (let start = 0; start < diff.staleSlots.length; start += SLOTS_PER_DELETE) {
    const params: Record<string, unknown> = { tenant, resourceId };
    const slots = diff.staleSlots.slice(start, start + SLOTS_PER_DELETE).map(({ attr, sub, element }, i) => {
      Object.assign(params, { [`attr${i}`]: attr, [`sub${i}`]: sub, [`element${i}`]: element });
      return `(attr = :attr${i} AND sub = :sub${i} AND element = :element${i})`;
    });
    await runSql(manager, `DELETE FROM ${valuesTable} WHERE resource_id = :resourceId AND ${unindexedCheck('tenant_id = :tenant')} AND (${slots.join(' OR ')})`, params);
  }
  await insertIndexedValues(manager, valuesTable, tenant, [{ resourceId, rows: diff.added }]);
}

/** Inserts the index rows of resources that have none yet (new resources, migrations, the benchmark seeder). */
export async function insertIndexedValues(
  manager: EntityManager,
  valuesTable: string,
  tenant: TenantId,
  resources: readonly { readonly resourceId: string; readonly rows: readonly IndexedValue[] }[],
): Promise<void> {
  const rows = resources.flatMap(({ resourceId, rows: values }) =>
    values.map((row) => [tenant, resourceId, row.attr, row.sub, row.element, row.text === null ? null : keyPrefixOf(row.text), row.text, row.num]),
  );
  await insertRows(manager, valuesTable, COLUMNS, rows);
}
