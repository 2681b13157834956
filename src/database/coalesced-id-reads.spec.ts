import { asTenantId, type TenantId } from '../domain/tenant-id.js';
import { CoalescedIdReads } from './coalesced-id-reads.js';

interface Row {
  readonly id: string;
  readonly tenant: TenantId;
}

const A = asTenantId('tenant-a');
const B = asTenantId('tenant-b');

/** A table of rows, read the way the statements read it: only the asked tenant's rows with the asked ids. */
function table(rows: readonly Row[]) {
  const statements: { tenant: TenantId; ids: readonly string[] }[] = [];
  const readRows = (tenant: TenantId, ids: readonly string[]): Promise<readonly Row[]> => {
    statements.push({ tenant, ids });
    return Promise.resolve(rows.filter((row) => row.tenant === tenant && ids.includes(row.id)));
  };
  return { statements, readRows };
}

/**
 * Reads made from separate macrotask callbacks of one loop turn, as concurrent requests make
 * them from their sockets' callbacks: Node drains the promise jobs between two of them, so a
 * batch closed after the promise jobs (dataloader's default) would hold one read each.
 */
function fromSeparateCallbacks<T>(reads: readonly (() => Promise<T>)[]): Promise<T[]> {
  return Promise.all(reads.map((read) => new Promise<T>((resolve, reject) => setImmediate(() => read().then(resolve, reject)))));
}

describe('CoalescedIdReads', () => {
  const rows: Row[] = [
    { id: 'a1', tenant: A },
    { id: 'a2', tenant: A },
    { id: 'b1', tenant: B },
  ];

  it('reads what arrives before the loop turns in one statement per tenant, and answers each read its own row', async () => {
    const { statements, readRows } = table(rows);
    const reads = new CoalescedIdReads(readRows);
    const answers = await fromSeparateCallbacks([() => reads.read(A, 'a1'), () => reads.read(B, 'b1'), () => reads.read(A, 'a2'), () => reads.read(A, 'a1')]);
    expect(answers).toEqual([rows[0], rows[2], rows[1], rows[0]]);
    // Each id once, in the order first asked.
    expect(statements).toEqual([
      { tenant: A, ids: ['a1', 'a2'] },
      { tenant: B, ids: ['b1'] },
    ]);
  });

  it('answers null for an id the tenant has no row with, even when another tenant has it', async () => {
    const { statements, readRows } = table(rows);
    const reads = new CoalescedIdReads(readRows);
    expect(await Promise.all([reads.read(A, 'b1'), reads.read(A, 'missing'), reads.read(B, 'b1')])).toEqual([null, null, rows[2]]);
    expect(statements).toHaveLength(2);
  });

  it('starts a new statement for reads made after the batch has gone', async () => {
    const { statements, readRows } = table(rows);
    const reads = new CoalescedIdReads(readRows);
    expect(await reads.read(A, 'a1')).toEqual(rows[0]);
    expect(await reads.read(A, 'a1')).toEqual(rows[0]);
    expect(statements).toEqual([
      { tenant: A, ids: ['a1'] },
      { tenant: A, ids: ['a1'] },
    ]);
  });

  it('puts at most 100 ids in a statement', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ id: `a${i}`, tenant: A }));
    const { statements, readRows } = table(many);
    const reads = new CoalescedIdReads(readRows);
    const answers = await Promise.all(many.map((row) => reads.read(A, row.id)));
    expect(answers).toEqual(many);
    expect(statements.map((statement) => statement.ids.length)).toEqual([100, 100, 50]);
  });

  it('fails every read of a batch whose statement failed, and reads again afterwards', async () => {
    let failing = true;
    const { readRows } = table(rows);
    const reads = new CoalescedIdReads((tenant, ids) => (failing ? Promise.reject(new Error('database unavailable')) : readRows(tenant, ids)));
    const failed = await Promise.allSettled([reads.read(A, 'a1'), reads.read(B, 'b1')]);
    expect(failed.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'answered'))).toEqual(['database unavailable', 'database unavailable']);
    failing = false;
    expect(await reads.read(A, 'a1')).toEqual(rows[0]);
  });
});
