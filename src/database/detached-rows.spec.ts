import { detachedRows } from './detached-rows.js';

describe('detachedRows', () => {
  it('answers the same rows, in order, in a new array, and leaves the driver its array empty', () => {
    const first = { id: 'a' };
    const second = { id: 'b' };
    const driverRows = [first, second];
    const rows = detachedRows(driverRows);
    expect(rows).not.toBe(driverRows);
    expect(rows[0]).toBe(first);
    expect(rows[1]).toBe(second);
    expect(rows).toHaveLength(2);
    expect(driverRows).toEqual([]);
  });
});
