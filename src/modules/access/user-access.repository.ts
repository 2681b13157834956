import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { boundIds, CoalescedIdReads, idIsOneOf } from '../../database/coalesced-id-reads.js';
import { PreparedSql } from '../../database/prepared-sql.js';
import { runSql } from '../../database/run-sql.js';
import { jsonRowsAggregate, type JsonRowsShape, parseJsonRows } from '../../database/query/json-rows.js';
import { unindexedCheck } from '../../database/query/unindexed-check.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** A live user's access as stored: whether active, and the rows its effective access is made of. */
export interface StoredUserAccess {
  readonly active: boolean;
  /** Role names (catalog spelling, or the key when the catalog lacks it) of its own roles and its groups' roles, unsorted. */
  readonly roleNames: readonly string[];
  /** Its own grants ∪ its groups' grants, by displayName. */
  readonly libraries: readonly { readonly id: string; readonly displayName: string }[];
  /** Its direct groups, by displayName. */
  readonly groups: readonly { readonly id: string; readonly displayName: string }[];
}

interface AccessRow {
  readonly id: string;
  readonly active: boolean | number;
  readonly roles: unknown;
  readonly libraries: unknown;
  readonly groups: unknown;
}

/**
 * The admin access endpoint's one statement (issue 15: the platform asks it on every session
 * check). The subqueries are the ones RolesRepository.effectiveRoleNames,
 * LibraryGrantsRepository.effectiveOf and GroupMembershipRepository.groupsOfUsers run for many
 * users, narrowed to one; the e2e suite checks the answers against what writes through those
 * paths produce. `$1` is the tenant in every subquery, so each one is held to the tenant on its
 * own. Session checks that arrive together share one statement (CoalescedIdReads), which reads
 * their users by primary key and each user's rows through `u.id`.
 */
@Injectable()
export class UserAccessRepository {
  private readonly reads: CoalescedIdReads<AccessRow>;
  private inTransactionSql: string | undefined;

  constructor(private readonly prepared: PreparedSql) {
    const { isPostgres } = prepared;
    const one = accessSql(isPostgres, '$1', '$2', 'u.tenant_id = $1 AND u.id = $2 AND u.deleted_at IS NULL');
    // Without statistics PostgreSQL may walk the tenant's index for `tenant_id = $1 AND id = ANY($2)`: the ids are the way in.
    const liveOfTenant = unindexedCheck('u.tenant_id = $1 AND u.deleted_at IS NULL');
    const many = accessSql(isPostgres, '$1', 'u.id', `${idIsOneOf('u.id', '$2', isPostgres)} AND ${liveOfTenant}`);
    this.reads = new CoalescedIdReads<AccessRow>((tenant, ids) =>
      ids.length === 1 ? prepared.all<AccessRow>(one, [tenant, ids[0]]) : prepared.all<AccessRow>(many, [tenant, boundIds(ids, isPostgres)]),
    );
  }

  async find(tenant: TenantId, userId: string): Promise<StoredUserAccess | null> {
    const row = await this.reads.read(tenant, userId);
    return toStoredAccess(row === null ? [] : [row]);
  }

  /**
   * The same statement in a write's transaction, which sees the write's own changes: a write's
   * access snapshot of one user in one round trip instead of two (effective roles, then libraries).
   */
  async findIn(manager: EntityManager, tenant: TenantId, userId: string): Promise<StoredUserAccess | null> {
    this.inTransactionSql ??= accessSql(this.prepared.isPostgres, ':tenant', ':user', 'u.tenant_id = :tenant AND u.id = :user AND u.deleted_at IS NULL');
    return toStoredAccess(await runSql<AccessRow>(manager, this.inTransactionSql, { tenant, user: userId }));
  }
}

function toStoredAccess(rows: readonly AccessRow[]): StoredUserAccess | null {
  if (rows.length === 0) return null;
  const row = rows[0];
  const pairs = (json: unknown, shape: JsonRowsShape) => parseJsonRows(json, shape).map(([id, displayName]) => ({ id: String(id), displayName: String(displayName) }));
  return {
    active: row.active === true || row.active === 1,
    roleNames: parseJsonRows(row.roles, ROLE_NAMES).map(([name]) => String(name)),
    libraries: pairs(row.libraries, LIBRARIES),
    groups: pairs(row.groups, GROUPS),
  };
}

/** Role names in no particular order (effective roles are sorted by their reader); libraries and groups by display name, then id. */
const ROLE_NAMES: JsonRowsShape = { columns: ['COALESCE(r.name, e.role_key)'], orderBy: [] };
const LIBRARIES: JsonRowsShape = { columns: ['l.id', 'l.display_name'], orderBy: ['l.display_name_key', 'l.id'] };
const GROUPS: JsonRowsShape = { columns: ['g.id', 'g.display_name'], orderBy: ['g.display_name_key', 'g.id'] };

/**
 * `tenant` is the tenant's placeholder (`$1` or `:tenant`), `user` what the subqueries take as the
 * user's id (a placeholder, or `u.id`), and `users` the condition that picks the rows of `users u`.
 */
function accessSql(isPostgres: boolean, tenant: string, user: string, users: string): string {
  const roles = `SELECT ${jsonRowsAggregate(ROLE_NAMES, isPostgres)} FROM (
      SELECT role_key FROM user_roles WHERE tenant_id = ${tenant} AND user_id = ${user}
      UNION
      SELECT g.role_key FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.tenant_id = ${tenant} AND m.member_id = ${user}
    ) e LEFT JOIN roles r ON r.tenant_id = ${tenant} AND r.name_key = e.role_key`;
  const libraries = `SELECT ${jsonRowsAggregate(LIBRARIES, isPostgres)} FROM (
      SELECT library_id FROM user_library_grants WHERE tenant_id = ${tenant} AND user_id = ${user}
      UNION
      SELECT g.library_id FROM group_members m JOIN group_library_grants g ON g.tenant_id = m.tenant_id AND g.group_id = m.group_id
      WHERE m.tenant_id = ${tenant} AND m.member_id = ${user}
    ) e JOIN libraries l ON l.id = e.library_id`;
  const groups = `SELECT ${jsonRowsAggregate(GROUPS, isPostgres)}
    FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.tenant_id = ${tenant} AND m.member_id = ${user}`;
  return `SELECT u.id, u.active, (${roles}) AS roles, (${libraries}) AS libraries, (${groups}) AS groups
    FROM users u WHERE ${users}`;
}
