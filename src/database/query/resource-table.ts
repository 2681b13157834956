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
  /** Whether rows are soft-deleted (a `deleted_at` column) rather than removed. */
  readonly softDeleted: boolean;
  /** Columns holding meta.created and meta.lastModified as `Date#toISOString()` text. */
  readonly createdColumn: string;
  readonly lastModifiedColumn: string;
  /** Multi-valued attributes kept as rows of a link table instead of values rows (group membership). */
  readonly relations: readonly RelationAttribute[];
}

/**
 * A resource table as Roster's migrations lay them out: aliased `r`, meta.created and
 * meta.lastModified in `created_at` / `last_modified`.
 */
export function resourceTable(spec: Pick<ResourceTable, 'resourceType' | 'table' | 'valuesTable' | 'softDeleted' | 'relations'>): ResourceTable {
  return { ...spec, alias: 'r', createdColumn: 'created_at', lastModifiedColumn: 'last_modified' };
}

/** An attribute whose `value`s are the rows of a link table, e.g. Group `members` and User `groups`. */
export interface RelationAttribute {
  /** The attribute name, lower-cased as in indexed-values.ts. */
  readonly attr: string;
  readonly table: string;
  /** The column holding the resource's id, and the one holding each value. */
  readonly ownerColumn: string;
  readonly valueColumn: string;
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
