import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';

/** One committed change to one resource, as the write skeleton records it. */
export interface ResourceChange {
  readonly tenant: TenantId;
  /** The SCIM resource type, e.g. "User". */
  readonly resourceType: string;
  readonly id: string;
  readonly kind: 'created' | 'updated' | 'deleted';
  /** The resource's version after the change (the deleted row's last version for deletes). */
  readonly version: number;
  /** The stored document before the change (absent on create) and after it (absent on delete). */
  readonly before?: ScimObject;
  readonly after?: ScimObject;
  /** Users whose effective access (roles, libraries) the change altered besides the resource itself. */
  readonly accessChangedFor?: readonly string[];
  /** What only the type knows happened (a user deactivated, members added), beside the change itself. */
  readonly facts?: readonly ChangeFact[];
  /** The change's own event type where `<type>.<kind>` would be wrong (a user restored by POST). */
  readonly baseType?: string;
  /** What the change's own event says beside the changed attributes (`revokeSessions` of a deleted user). */
  readonly baseData?: Readonly<Record<string, unknown>>;
  /** Attributes the change altered outside the stored document (library grants, which are rows). */
  readonly changedBesides?: readonly string[];
}

/** One thing that happened with a change, as an event type and its data; about another resource when it names one. */
export interface ChangeFact {
  readonly type: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly resource?: { readonly type: string; readonly id: string; readonly version?: number };
}

/** What a type's rules add to the record of a change. */
export type ChangeDetails = Pick<ResourceChange, 'accessChangedFor' | 'facts' | 'baseType' | 'baseData' | 'changedBesides'>;

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
  private readonly commitListeners: (() => void)[] = [];

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Called after each write transaction commits: a signal that there is something new, never a record of it. */
  onCommitted(listener: () => void): void {
    this.commitListeners.push(listener);
  }

  committed(): void {
    for (const listener of this.commitListeners) listener();
  }

  async record(change: ResourceChange, manager: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(change, manager);
  }
}
