/** Whether two lists hold the same ids in the same order. */
export function sameIdLists(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Whether two lists hold the same ids, in any order (each list without repeats). */
export function sameIdSets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}
