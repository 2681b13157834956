import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../database/transaction-runner.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import { assertIfMatch } from '../../scim/etag.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { type ChangeDetails, type ResourceChange, ResourceChanges } from './resource-changes.js';
import { assertPossibleId } from './possible-id.js';
import type { ResourceDefinition, StoredResource } from './resource-definition.js';
import { ResourceRowsRepository } from './resource-rows.repository.js';

/** What a type's rules decided a write does to the row, and what they still do after it is written. */
export interface PlannedWrite<E extends StoredResource> {
  /** Columns to set; a new `data` also moves the filter index rows that changed. `version` is the skeleton's. */
  readonly columns: Partial<E> & Pick<E, 'lastModified'>;
  /** The type's own follow-up statements (roles, memberships), in the same transaction. */
  readonly after?: FollowUp;
}

/** A created (or restored) row, stored by the type's rules, and their follow-up statements. */
export interface StoredWrite<E extends StoredResource> {
  readonly row: E;
  /** A restored row's document before the restore: its index rows are still stored (a soft delete keeps them). */
  readonly restoredFrom?: ScimObject;
  readonly after?: FollowUp;
}

/** A type's statements after its row is written; what they return joins the change's record. */
export type FollowUp = (manager: EntityManager) => Promise<ChangeDetails | void>;

/** Turns a database error into the SCIM error it means for this write (a unique index → 409), if it knows it. */
export type ErrorExplainer = (error: unknown) => ScimError | undefined;

/**
 * The write skeleton every resource type shares: one transaction; the row read under its lock;
 * `If-Match` (RFC 7644 §3.14); the type's rules; the version compare-and-set; the filter index
 * moved with the document (only the rows that changed); the tenant's count of live resources
 * moved by a create (or restore) or a delete (or soft delete); and the committed change recorded
 * in the same transaction. Every row that becomes live or stops being live passes through here (a purge
 * hard-deletes only rows a delete already took out of the count).
 */
@Injectable()
export class ResourceWriter {
  constructor(
    private readonly rows: ResourceRowsRepository,
    private readonly transactions: TransactionRunner,
    private readonly changes: ResourceChanges,
  ) {}

  /** RFC 7644 §3.3: `store` inserts (or restores) the row; the index and the change follow. */
  create<E extends StoredResource>(
    definition: ResourceDefinition<E>,
    tenant: TenantId,
    store: (manager: EntityManager) => Promise<StoredWrite<E>>,
    explain?: ErrorExplainer,
  ): Promise<E> {
    return this.inTransaction(explain, async (manager) => {
      const { row, restoredFrom, after } = await store(manager);
      await this.rows.writeIndex(definition, tenant, row.id, row.data, manager, restoredFrom);
      const details = await after?.(manager);
      // Late in the transaction, like the stream position the change record takes: both lock a tenant-wide row until commit.
      await this.rows.changeLiveCount(definition, tenant, 1, manager);
      await this.changes.record({ ...this.change(definition, tenant, row, 'created', details), after: row.data }, manager);
      return row;
    });
  }

  /**
   * RFC 7644 §3.5: a read-modify-write of one row. Two concurrent writes run one after the other
   * (row lock; SQLite's writers queue), and the version check in the UPDATE guards against
   * anything that slips past the lock, so no update is ever lost.
   */
  update<E extends StoredResource>(
    definition: ResourceDefinition<E>,
    tenant: TenantId,
    id: string,
    ifMatch: string | undefined,
    plan: (current: E, manager: EntityManager) => Promise<PlannedWrite<E>>,
    explain?: ErrorExplainer,
  ): Promise<E> {
    return this.inTransaction(explain, async (manager) => {
      const current = await this.locked(definition, tenant, id, ifMatch, manager);
      const { columns, after } = await plan(current, manager);
      if (!(await this.rows.updateIfVersion(definition, tenant, id, current.version, columns, manager))) {
        throw ScimError.preconditionFailed(`The ${definition.type.discovery.name.toLowerCase()} changed while this request was applied; retry.`);
      }
      // After the compare-and-set: `current.data` is then the document the stored index rows describe.
      if (columns.data !== undefined) await this.rows.writeIndex(definition, tenant, id, columns.data, manager, current.data);
      const details = await after?.(manager);
      const written: E = { ...current, ...columns, version: current.version + 1 };
      await this.changes.record({ ...this.change(definition, tenant, written, 'updated', details), before: current.data, after: written.data }, manager);
      return written;
    });
  }

  /** RFC 7644 §3.6: `remove` deletes (or soft-deletes) the locked row by the type's rules. */
  async delete<E extends StoredResource>(
    definition: ResourceDefinition<E>,
    tenant: TenantId,
    id: string,
    ifMatch: string | undefined,
    remove: (current: E, manager: EntityManager) => Promise<ChangeDetails | void>,
    explain?: ErrorExplainer,
  ): Promise<void> {
    await this.inTransaction(explain, async (manager) => {
      const current = await this.locked(definition, tenant, id, ifMatch, manager);
      const details = await remove(current, manager);
      await this.rows.changeLiveCount(definition, tenant, -1, manager);
      await this.changes.record({ ...this.change(definition, tenant, current, 'deleted', details), before: current.data }, manager);
    });
  }

  private async locked<E extends StoredResource>(definition: ResourceDefinition<E>, tenant: TenantId, id: string, ifMatch: string | undefined, manager: EntityManager): Promise<E> {
    assertPossibleId(definition, id);
    const current = await this.rows.findForUpdate(definition, tenant, id, manager);
    if (current === null) throw ScimError.notFound(definition.type.discovery.name, id);
    assertIfMatch(ifMatch, current.version);
    return current;
  }

  private async inTransaction<T>(explain: ErrorExplainer | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.transactions.run(work);
      this.changes.committed();
      return result;
    } catch (error) {
      throw explain?.(error) ?? error;
    }
  }

  private change(definition: ResourceDefinition, tenant: TenantId, row: StoredResource, kind: ResourceChange['kind'], details: ChangeDetails | void): ResourceChange {
    return { tenant, resourceType: definition.type.discovery.name, id: row.id, kind, version: row.version, ...(details ?? {}) };
  }
}
