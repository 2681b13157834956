import type { EntityTarget } from 'typeorm';
import type { JsonRowsShape } from '../../database/query/json-rows.js';
import type { ResourceTable } from '../../database/query/resource-table.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ScimResourceType } from '../../scim/resource-type.js';

/** The columns every resource table has: what the shared read path and write skeleton need. */
export interface StoredResource {
  readonly id: string;
  /** The SCIM document without id, meta and derived attributes (RFC 7643 §3). */
  readonly data: ScimObject;
  readonly version: number;
  readonly createdAt: IsoTimestamp;
  readonly lastModified: IsoTimestamp;
}

/**
 * One resource type: its SCIM face (schemas, discovery, filter and PATCH contexts) and where it
 * is stored. Discovery, the shared read path, the write skeleton and the root `/.search` read
 * it; what only this type does lives in its own service.
 */
export interface ResourceDefinition<E extends StoredResource = StoredResource> {
  readonly type: ScimResourceType;
  readonly table: ResourceTable;
  readonly entity: EntityTarget<E>;
  /**
   * The PostgreSQL row lock a write takes: FOR NO KEY UPDATE lets other transactions' foreign
   * keys to the row (FOR KEY SHARE) through; FOR UPDATE also holds them off.
   */
  readonly writeLock: 'for_no_key_update' | 'pessimistic_write';
  /** Where the type sits in discovery and in the root `/.search` (RFC 7644 §3.4.3), lowest first. */
  readonly order: number;
}

/**
 * An attribute a resource type does not store in its document but reads from elsewhere (a user's
 * `groups`, a group's `members`). The read path calls it only when the projection returns the
 * attribute (RFC 7644 §3.4.2.5), so `excludedAttributes=members` never touches memberships.
 */
export interface AttributeLoader {
  /** The top-level attribute, as the core schema names it. */
  readonly attribute: string;
  /** Whether GET by id writes the values page by page as they are read, instead of holding them. */
  readonly streamed: boolean;
  /** The values of each resource of a list page (may refuse a page too large to hold: `tooMany`). */
  forPage(tenant: TenantId, ids: readonly string[]): Promise<ReadonlyMap<string, AttributeValues>>;
  /** One resource's values, page by page. */
  pagesOf(tenant: TenantId, id: string): AsyncIterable<AttributeValues>;
  /**
   * The same values as a correlated subquery, so that GET by id reads the resource and them in
   * one statement (issue 15: one round trip). Loaders without it run their own query.
   */
  readonly inline?: InlineValues;
}

/**
 * A loader's values of the resource aliased `r` in its own SELECT: `SELECT <columns> FROM <from>
 * ORDER BY <orderBy>` (json-rows.ts), where `from` joins and filters on `r.tenant_id` and `r.id`.
 * Fixed SQL from code, never from requests.
 */
export interface InlineValues extends JsonRowsShape {
  readonly from: string;
  /** The attribute's values from the rows, each row its columns in order, as the loader's `forPage` builds them. */
  toValues(rows: readonly (readonly unknown[])[]): AttributeValues;
}

/** Values of a multi-valued attribute: complex ones, or plain strings (`effectiveRoles`). */
export type AttributeValues = readonly (ScimObject | string)[];
