import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PreparedSql } from '../../database/prepared-sql.js';
import { runSql } from '../../database/run-sql.js';
import { jsonRowsAggregate, type JsonRowsShape, parseJsonRows } from '../../database/query/json-rows.js';
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
 * paths produce. `$1` is the tenant and `$2` the user in every subquery, so each one is held to
 * the tenant on its own.
 */
@Injectable()
export class UserAccessRepository {
  private sql: string | undefined;
  private inTransactionSql: string | undefined;

  constructor(private readonly prepared: PreparedSql) {}

  async find(tenant: TenantId, userId: string): Promise<StoredUserAccess | null> {
    this.sql ??= accessSql(this.prepared.isPostgres, '$1', '$2');
    return toStoredAccess(await this.prepared.all<AccessRow>(this.sql, [tenant, userId]));
  }

  /**
   * The same statement in a write's transaction, which sees the write's own changes: a write's
   * access snapshot of one user in one round trip instead of two (effective roles, then libraries).
   */
  async findIn(manager: EntityManager, tenant: TenantId, userId: string): Promise<StoredUserAccess | null> {
    this.inTransactionSql ??= accessSql(this.prepared.isPostgres, ':tenant', ':user');
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

/** `tenant` and `user` are the placeholders of the tenant and the user (`$1`/`$2` or `:tenant`/`:user`). */
function accessSql(isPostgres: boolean, tenant: string, user: string): string {
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
  return `SELECT u.active, (${roles}) AS roles, (${libraries}) AS libraries, (${groups}) AS groups
    FROM users u WHERE u.tenant_id = ${tenant} AND u.id = ${user} AND u.deleted_at IS NULL`;
}
