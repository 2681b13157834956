/**
 * Where one resource type lives, for the query compiler: the resource table (aliased in every
 * query Roster builds) and the table of its filter index rows (src/scim/query/indexed-values.ts).
 * Names are fixed strings from code, never from requests.
 */
export interface ResourceTable {
  /** The SCIM resource type, which meta.resourceType compares against. */
  readonly resourceType: string;
  readonly table: string;
  readonly alias: string;
  readonly valuesTable: string;
  /** Columns holding meta.created and meta.lastModified as `Date#toISOString()` text. */
  readonly createdColumn: string;
  readonly lastModifiedColumn: string;
}

export const USER_TABLE: ResourceTable = {
  resourceType: 'User',
  table: 'users',
  alias: 'r',
  valuesTable: 'user_values',
  createdColumn: 'created_at',
  lastModifiedColumn: 'last_modified',
};

/** A WHERE fragment and the named parameters (`:name`, TypeORM style) it uses. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

/** Hands out parameter names and subquery aliases that cannot collide within one query. */
export class SqlParams {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  constructor(private readonly prefix: string) {}

  add(value: unknown): string {
    const name = `${this.prefix}${this.next++}`;
    this.values[name] = value;
    return `:${name}`;
  }

  alias(): string {
    return `${this.prefix}a${this.next++}`;
  }
}
