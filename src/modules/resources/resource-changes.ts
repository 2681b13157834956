import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';

/** One committed change to one resource, as the write skeleton records it. */
export interface ResourceChange {
  readonly tenant: TenantId;
  /** The SCIM resource type, e.g. "User". */
  readonly resourceType: string;
  readonly id: string;
  readonly kind: 'created' | 'updated' | 'deleted';
  /** The resource's version after the change (the deleted row's last version for deletes). */
  readonly version: number;
  /** Users whose effective access (roles, libraries) the change altered besides the resource itself. */
  readonly accessChangedFor?: readonly string[];
}

/** What a type's rules add to the record of a change. */
export type ChangeDetails = Pick<ResourceChange, 'accessChangedFor'>;

/** Runs inside the write's transaction: what it writes commits or rolls back with the change. */
export type ChangeListener = (change: ResourceChange, manager: EntityManager) => Promise<void>;

/**
 * The one place where every committed resource change passes, inside its transaction, so that
 * whatever must follow a change (an outbox of events, an audit entry) can never exist without
 * the change or the change without it. A listener that throws rolls the write back.
 */
@Injectable()
export class ResourceChanges {
  private readonly listeners: ChangeListener[] = [];

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async record(change: ResourceChange, manager: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(change, manager);
  }
}
