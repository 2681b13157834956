import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';

/**
 * A tenant's role catalog as of one request, loaded before a write's transaction so that the
 * transaction itself needs no further queries (on PostgreSQL a second connection taken from
 * inside a transaction could starve the pool under load).
 */
export class RoleRules {
  constructor(
    private readonly catalog: ReadonlyMap<string, string>,
    readonly uniqueKeys: ReadonlySet<string>,
  ) {}

  /** The catalog's spelling of each role; an unknown role is `400 invalidValue` naming it. */
  canonicalNames(names: readonly string[]): string[] {
    return names.map((name) => {
      const canonical = this.catalog.get(caseFold(name));
      if (canonical === undefined) throw ScimError.invalidValue(`role ${JSON.stringify(name)} is not in this tenant's role catalog`);
      return canonical;
    });
  }

  /** Whether the catalog holds the role with this key. */
  has(key: string): boolean {
    return this.catalog.has(key);
  }

  /** The catalog's spelling of a role key, if the catalog has it. */
  nameOf(key: string): string | undefined {
    return this.catalog.get(key);
  }

  /** Which of these roles are unique (held by at most one active user). */
  uniqueAmong(names: readonly string[]): string[] {
    return [...new Set(names.map(caseFold))].filter((key) => this.uniqueKeys.has(key));
  }
}
