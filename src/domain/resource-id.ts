// What crypto.randomUUID() mints for every row Roster creates (RFC 9562 §4: 8-4-4-4-12 hex digits).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `text` has the shape of an id Roster mints. Anything else names no row, whatever bytes
 * it holds, so it can be answered 404 without asking the database (whose driver refuses some
 * bytes: PostgreSQL text cannot hold U+0000).
 */
export function isRosterId(text: string): boolean {
  return UUID.test(text);
}
