import { describe, expect, it } from '@jest/globals';
import type { IndexedValue } from './indexed-values.js';
import { diffIndexedValues, type IndexSlot } from './indexed-values-diff.js';

const text = (attr: string, sub: string, element: number, value: string): IndexedValue => ({ attr, sub, element, text: value, num: null });
const num = (attr: string, sub: string, element: number, value: number): IndexedValue => ({ attr, sub, element, text: null, num: value });
const slot = (attr: string, sub = '', element = 0): IndexSlot => ({ attr, sub, element });

const userName = text('username', '', 0, 'alice');
const active = text('active', '', 0, 'true');
const workEmail = [num('emails', '*', 0, 1), text('emails', 'type', 0, 'work'), text('emails', 'value', 0, 'a@x.org')];
const homeEmail = [num('emails', '*', 1, 1), text('emails', 'type', 1, 'home'), text('emails', 'value', 1, 'h@x.org')];

describe('diffIndexedValues', () => {
  it.each<[string, IndexedValue[], IndexedValue[], IndexSlot[], IndexedValue[]]>([
    ['changes nothing when the rows are the same', [userName, active, ...workEmail], [active, ...workEmail, userName], [], []],
    ['replaces the one slot whose value changed', [userName, active], [userName, text('active', '', 0, 'false')], [slot('active')], [text('active', '', 0, 'false')]],
    ['inserts the rows of a new slot and deletes none', [userName], [userName, ...workEmail], [], workEmail],
    ['deletes the slots that are gone and inserts none', [userName, ...workEmail, ...homeEmail], [userName, ...workEmail], [slot('emails', '*', 1), slot('emails', 'type', 1), slot('emails', 'value', 1)], []],
    [
      'moves only the sub-attributes that differ when elements swap places',
      [...workEmail, ...homeEmail],
      [num('emails', '*', 0, 1), text('emails', 'type', 0, 'home'), text('emails', 'value', 0, 'h@x.org'), num('emails', '*', 1, 1), text('emails', 'type', 1, 'work'), text('emails', 'value', 1, 'a@x.org')],
      [slot('emails', 'type', 0), slot('emails', 'value', 0), slot('emails', 'type', 1), slot('emails', 'value', 1)],
      [text('emails', 'type', 0, 'home'), text('emails', 'value', 0, 'h@x.org'), text('emails', 'type', 1, 'work'), text('emails', 'value', 1, 'a@x.org')],
    ],
    ['tells a number from the same digits as text', [num('x', '', 0, 1)], [text('x', '', 0, '1')], [slot('x')], [text('x', '', 0, '1')]],
    ['keeps a slot of several values whose order alone changed', [text('tags', 'v', 0, 'a'), text('tags', 'v', 0, 'b')], [text('tags', 'v', 0, 'b'), text('tags', 'v', 0, 'a')], [], []],
    [
      'rewrites a slot whose values differ only in how often one repeats',
      [text('tags', 'v', 0, 'a'), text('tags', 'v', 0, 'a'), text('tags', 'v', 0, 'b')],
      [text('tags', 'v', 0, 'a'), text('tags', 'v', 0, 'b'), text('tags', 'v', 0, 'b')],
      [slot('tags', 'v')],
      [text('tags', 'v', 0, 'a'), text('tags', 'v', 0, 'b'), text('tags', 'v', 0, 'b')],
    ],
  ])('%s', (_behaviour, before, after, staleSlots, added) => {
    expect(diffIndexedValues(before, after)).toEqual({ staleSlots, added });
  });

  it('leaves, once applied to the stored rows, exactly the rows of the new document', () => {
    const before = [userName, active, ...workEmail, ...homeEmail];
    const after = [text('username', '', 0, 'alice2'), active, ...homeEmail.map((row) => ({ ...row, element: 0 }))];
    const { staleSlots, added } = diffIndexedValues(before, after);
    const isStale = (row: IndexedValue) => staleSlots.some((s) => s.attr === row.attr && s.sub === row.sub && s.element === row.element);
    const stored = [...before.filter((row) => !isStale(row)), ...added];
    const order = (rows: IndexedValue[]) => rows.map((row) => JSON.stringify(row)).sort();
    expect(order(stored)).toEqual(order(after));
  });
});
