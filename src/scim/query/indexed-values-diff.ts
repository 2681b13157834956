import type { IndexedValue } from './indexed-values.js';

/** Where a resource's index rows sit: the rows of one attribute, sub-attribute and element. */
export interface IndexSlot {
  readonly attr: string;
  readonly sub: string;
  readonly element: number;
}

/**
 * What turns one resource's index rows into another's: every slot whose rows differ loses all
 * its rows and gets the new ones. A slot, not a row, is the unit because the table has no
 * unique key (a slot may hold equal rows twice, e.g. a multi-valued sub-attribute) and because
 * deleting by slot is an exact probe of the resource index (resource_id, attr, sub, element)
 * that needs no NULL-safe comparison of the values, which the two engines spell differently.
 */
export interface IndexedValuesDiff {
  /** Slots whose stored rows must go: they hold rows of `before` that `after` does not hold exactly. */
  readonly staleSlots: readonly IndexSlot[];
  /** Rows to insert: all of `after`'s rows in the slots that changed (including new ones). */
  readonly added: readonly IndexedValue[];
}

/** The smallest slot-wise change from the rows of `before` to those of `after` (both from indexedValuesOf). */
export function diffIndexedValues(before: readonly IndexedValue[], after: readonly IndexedValue[]): IndexedValuesDiff {
  const old = bySlot(before);
  const fresh = bySlot(after);
  const staleSlots: IndexSlot[] = [];
  const added: IndexedValue[] = [];
  for (const [key, rows] of old) {
    const next = fresh.get(key);
    if (next !== undefined && sameValues(rows, next)) continue;
    staleSlots.push(rows[0]);
    if (next !== undefined) added.push(...next);
  }
  for (const [key, rows] of fresh) if (!old.has(key)) added.push(...rows);
  return { staleSlots: staleSlots.map(({ attr, sub, element }) => ({ attr, sub, element })), added };
}

function bySlot(rows: readonly IndexedValue[]): Map<string, IndexedValue[]> {
  const slots = new Map<string, IndexedValue[]>();
  for (const row of rows) {
    // JSON keeps the parts apart whatever characters an extension URN or attribute name holds.
    const key = JSON.stringify([row.attr, row.sub, row.element]);
    const slot = slots.get(key);
    if (slot === undefined) slots.set(key, [row]);
    else slot.push(row);
  }
  return slots;
}

/** Equal as multisets: the table keeps no order within a slot, and duplicates count. */
function sameValues(a: readonly IndexedValue[], b: readonly IndexedValue[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0].text === b[0].text && a[0].num === b[0].num;
  const valuesOf = (rows: readonly IndexedValue[]) => rows.map((row) => JSON.stringify([row.text, row.num])).sort();
  const left = valuesOf(a);
  const right = valuesOf(b);
  return left.every((value, i) => value === right[i]);
}
