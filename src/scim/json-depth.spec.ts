import { exceedsJsonDepth } from './json-depth.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

describe('exceedsJsonDepth', () => {
  it.each([
    [0, 32, false],
    [1, 32, false],
    [32, 32, false],
    [33, 32, true],
    [100_000, 32, true],
  ])('a document nested %i deep against a limit of %i → %s', (depth, max, expected) => {
    expect(exceedsJsonDepth(nested(depth), max)).toBe(expected);
  });
});
