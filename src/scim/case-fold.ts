/**
 * How Roster compares values whose attribute is not caseExact (RFC 7643 §2.2), in memory and in
 * stored keys alike: NFKC unifies compatibility forms (full-width letters), then Unicode lower
 * case, so `ÄÖÜ` equals `äöü` — which SQLite's ASCII-only `lower()` could not do.
 */
export function caseFold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
