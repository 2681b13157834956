import type { EntityManager, EntityMetadata, EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/**
 * An entity's columns as hand-written SQL reads and writes them, converted the way TypeORM's own
 * statements convert them (its driver's `prepareHydratedValue` and `preparePersistentValue`:
 * `simple-json` parsed and stringified, booleans 0/1 on SQLite). For the write path's row read
 * under lock and its compare-and-set UPDATE (issue 15): through TypeORM's query builders each cost
 * the service more JavaScript than the rest of the statement's work, and ran unnamed, so that
 * PostgreSQL planned them again at every write; through runSql they are named statements. A
 * user's create reads its userName key and inserts its row the same way.
 */
export class EntityRows<E> {
  private readonly metadata: EntityMetadata;

  constructor(
    private readonly manager: EntityManager,
    entity: EntityTarget<E>,
  ) {
    this.metadata = manager.connection.getMetadata(entity);
  }

  /** `"col_a", "col_b", …` of every column the entity maps, qualified by `alias` when given. */
  selectList(alias?: string): string {
    return this.metadata.columns.map((column) => (alias === undefined ? quoted(column.databaseName) : `${alias}.${quoted(column.databaseName)}`)).join(', ');
  }

  /** The entity a row of selectList's columns holds. */
  hydrate(row: Readonly<Record<string, unknown>>): E {
    const entity = this.metadata.create() as Record<string, unknown>;
    const driver = this.manager.connection.driver;
    for (const column of this.metadata.columns) {
      const value = row[column.databaseName];
      if (value !== undefined) entity[column.propertyName] = driver.prepareHydratedValue(value, column);
    }
    return entity as E;
  }

  /**
   * `"col" = :prefix0, …` for the properties of `values` that are set (an undefined one is left
   * as it is, as TypeORM's update leaves it), their stored forms added to `params`.
   */
  assignments(values: Readonly<Record<string, unknown>>, params: Record<string, unknown>, prefix: string): string {
    return this.bound(values, params, prefix)
      .map(({ column, placeholder }) => `${column} = ${placeholder}`)
      .join(', ');
  }

  /** `INSERT INTO <table> (…) VALUES (…)` of the properties of `values` that are set, their stored forms added to `params`. */
  insertion(values: Readonly<Record<string, unknown>>, params: Record<string, unknown>, prefix: string): string {
    const bound = this.bound(values, params, prefix);
    return `INSERT INTO ${this.metadata.tableName} (${bound.map(({ column }) => column).join(', ')}) VALUES (${bound.map(({ placeholder }) => placeholder).join(', ')})`;
  }

  /** Each set property's quoted column and `:prefixN` placeholder, its stored form (the driver's conversion) bound in `params`. */
  private bound(values: Readonly<Record<string, unknown>>, params: Record<string, unknown>, prefix: string): { readonly column: string; readonly placeholder: string }[] {
    const driver = this.manager.connection.driver;
    const bound: { column: string; placeholder: string }[] = [];
    for (const [property, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const column = this.columnOf(property);
      const name = `${prefix}${bound.length}`;
      params[name] = driver.preparePersistentValue(value, column);
      bound.push({ column: quoted(column.databaseName), placeholder: `:${name}` });
    }
    return bound;
  }

  private columnOf(property: string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyName(property);
    // Code names the properties, never a request: an unknown one is a programming error.
    if (column === undefined) throw new Error(`${this.metadata.name} has no column for property "${property}"`);
    return column;
  }
}

/** A column name as an identifier both engines read verbatim (`data`, `version`, `active` are keywords to some). */
function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
