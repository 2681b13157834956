import { createHash } from 'node:crypto';

/**
 * Names for PostgreSQL named statements: a backend parses, analyses and plans a named statement
 * once per connection and keeps the plan, where an unnamed one is planned at every execution
 * (with `plan_cache_mode = force_generic_plan`, data-source-options.ts, both get the same generic
 * plan; naming only keeps it). The same text always gets the same name, on every connection and
 * every replica, so a connection that already holds the statement skips the Parse message.
 *
 * A backend keeps each named statement until its connection closes, so the names are bounded:
 * the first `limit` texts are named, the rest run unnamed. Texts built from a request (a filter's
 * shape) or from a batch's length (`IN (:p0, :p1, …)`) would otherwise grow the server's memory.
 */
export class PgStatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly limit: number) {}

  /** The text's name, or undefined when it is to run unnamed. */
  nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.limit) {
      name = `roster_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
