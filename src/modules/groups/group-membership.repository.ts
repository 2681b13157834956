import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { insertRows } from '../../database/insert-rows.js';
import { relationFilterToSql } from '../../database/query/filter-sql.js';
import { SqlParams } from '../../database/query/resource-table.js';
import { inList, runSql } from '../../database/run-sql.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { Filter } from '../../scim/filter/ast.js';
import type { GroupRef } from './group-ref.js';
import { GROUPS } from './group.definition.js';

/** A member as a Group answer shows it (RFC 7643 §4.2). */
export interface MemberRow {
  readonly id: string;
  readonly display: string;
}


const CHUNK = 500;
// Small enough that reading one page (and writing its JSON) stays far below 50 ms on either engine.
const MEMBER_PAGE = 1000;

/** `group_members (tenant, group, member)`: every method takes the tenant first; changes are set operations in SQL. */
@Injectable()
export class GroupMembershipRepository {
  constructor(@InjectDataSource(ROSTER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Which of `ids` are live users of the tenant. On PostgreSQL the rows are share-locked, so a
   * user cannot be soft-deleted (which removes its memberships) between this check and the insert.
   */
  async liveUserIds(tenant: TenantId, ids: readonly string[], manager: EntityManager): Promise<Set<string>> {
    const lock = manager.connection.options.type === 'postgres' ? ' FOR SHARE' : '';
    const live = new Set<string>();
    for (let start = 0; start < ids.length; start += CHUNK) {
      const params: Record<string, unknown> = { tenant };
      const list = inList('id', ids.slice(start, start + CHUNK), params);
      const rows = await runSql<{ id: string }>(manager, `SELECT id FROM users WHERE tenant_id = :tenant AND deleted_at IS NULL AND id IN (${list})${lock}`, params);
      for (const row of rows) live.add(row.id);
    }
    return live;
  }

  /** Adds members; ones already present stay as they are. */
  async addMembers(tenant: TenantId, groupId: string, memberIds: readonly string[], manager: EntityManager): Promise<void> {
    const rows = memberIds.map((memberId) => [tenant, groupId, memberId]);
    await insertRows(manager, 'group_members', ['tenant_id', 'group_id', 'member_id'], rows, 'ON CONFLICT DO NOTHING');
  }

  async removeMembers(tenant: TenantId, groupId: string, memberIds: readonly string[], manager: EntityManager): Promise<void> {
    for (let start = 0; start < memberIds.length; start += CHUNK) {
      const params: Record<string, unknown> = { tenant, groupId };
      const list = inList('m', memberIds.slice(start, start + CHUNK), params);
      await runSql(manager, `DELETE FROM group_members WHERE tenant_id = :tenant AND group_id = :groupId AND member_id IN (${list})`, params);
    }
  }

  /** RFC 7644 §3.5.2.2 remove `members[filter]`, as one statement. */
  async removeMembersWhere(tenant: TenantId, groupId: string, filter: Filter, manager: EntityManager): Promise<void> {
    const params = new SqlParams('w');
    const condition = relationFilterToSql('members', filter, GROUPS.type.resolve, GROUPS.table, params, 'gm');
    await runSql(manager, `DELETE FROM group_members WHERE tenant_id = :tenant AND group_id = :groupId AND member_id IN (SELECT gm.member_id FROM group_members gm WHERE gm.tenant_id = :tenant AND gm.group_id = :groupId AND ${condition})`, {
      ...params.values,
      tenant,
      groupId,
    });
  }

  async removeAllMembers(tenant: TenantId, groupId: string, manager: EntityManager): Promise<void> {
    await runSql(manager, `DELETE FROM group_members WHERE tenant_id = :tenant AND group_id = :groupId`, { tenant, groupId });
  }

  /** Which of `ids` are members of the group (a change's effect, for its events). */
  async membersAmong(tenant: TenantId, groupId: string, ids: readonly string[], manager: EntityManager): Promise<Set<string>> {
    const members = new Set<string>();
    for (let start = 0; start < ids.length; start += CHUNK) {
      const params: Record<string, unknown> = { tenant, groupId };
      const list = inList('m', ids.slice(start, start + CHUNK), params);
      const rows = await runSql<{ member_id: string }>(manager, `SELECT member_id FROM group_members WHERE tenant_id = :tenant AND group_id = :groupId AND member_id IN (${list})`, params);
      for (const row of rows) members.add(row.member_id);
    }
    return members;
  }

  /** Every member of the group; only where a change concerns them all (unique roles, a group's role or grants, events). */
  async memberIds(tenant: TenantId, groupId: string, manager: EntityManager): Promise<string[]> {
    const rows = await runSql<{ member_id: string }>(manager, `SELECT member_id FROM group_members WHERE tenant_id = :tenant AND group_id = :groupId`, { tenant, groupId });
    return rows.map((row) => row.member_id);
  }

  /** Members of `filter` that a remove is about to take out (again only for unique roles). */
  async memberIdsWhere(tenant: TenantId, groupId: string, filter: Filter, manager: EntityManager): Promise<string[]> {
    const params = new SqlParams('w');
    const condition = relationFilterToSql('members', filter, GROUPS.type.resolve, GROUPS.table, params, 'gm');
    const rows = await runSql<{ member_id: string }>(manager, `SELECT gm.member_id FROM group_members gm WHERE gm.tenant_id = :tenant AND gm.group_id = :groupId AND ${condition}`, {
      ...params.values,
      tenant,
      groupId,
    });
    return rows.map((row) => row.member_id);
  }

  /**
   * A group's members with what a Group answer shows of them, read in keyset pages so one large
   * group is never one giant result set.
   */
  async *members(tenant: TenantId, groupId: string): AsyncGenerator<MemberRow[]> {
    let after = '';
    for (;;) {
      const rows = await runSql<{ id: string; display_name: string | null; user_name: string }>(
        this.dataSource.manager,
        // The page of memberships first, then users by primary key: joined the other way round,
        // PostgreSQL hash-joined the whole users table for every page (65 ms a page at 100,000 users).
        `SELECT m.member_id AS id, u.display_name, u.user_name
         FROM (SELECT member_id FROM group_members WHERE tenant_id = :tenant AND group_id = :groupId AND member_id > :after
               ORDER BY member_id LIMIT ${MEMBER_PAGE}) m
         JOIN users u ON u.id = m.member_id ORDER BY m.member_id`,
        { tenant, groupId, after },
      );
      if (rows.length === 0) return;
      yield rows.map((row) => ({ id: row.id, display: row.display_name ?? row.user_name }));
      if (rows.length < MEMBER_PAGE) return;
      after = rows[rows.length - 1].id;
      // better-sqlite3 answers synchronously: without this turn of the event loop a 100,000-member
      // group would be read and written in one uninterrupted stretch, stalling every other request.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** How many members the groups have together (one indexed count). */
  async memberCount(tenant: TenantId, groupIds: readonly string[]): Promise<number> {
    if (groupIds.length === 0) return 0;
    const params: Record<string, unknown> = { tenant };
    const list = inList('g', groupIds, params);
    const rows = await runSql<{ n: number | string }>(this.dataSource.manager, `SELECT COUNT(*) AS n FROM group_members WHERE tenant_id = :tenant AND group_id IN (${list})`, params);
    return Number(rows[0]?.n ?? 0);
  }

  /** The groups of each user, for their readOnly `groups` attribute and effective roles. */
  async groupsOfUsers(tenant: TenantId, userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    const byUser = new Map<string, GroupRef[]>();
    for (let start = 0; start < userIds.length; start += CHUNK) {
      const params: Record<string, unknown> = { tenant };
      const list = inList('u', userIds.slice(start, start + CHUNK), params);
      const rows = await runSql<{ member_id: string; id: string; display_name: string; role_key: string }>(
        this.dataSource.manager,
        `SELECT m.member_id, g.id, g.display_name, g.role_key FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.tenant_id = :tenant AND m.member_id IN (${list}) ORDER BY g.display_name_key, g.id`,
        params,
      );
      for (const row of rows) {
        const groups = byUser.get(row.member_id) ?? [];
        groups.push({ id: row.id, displayName: row.display_name, roleKey: row.role_key });
        byUser.set(row.member_id, groups);
      }
    }
    return byUser;
  }

  /** A user leaves every group (soft delete): no membership comes back with a restored user. */
  async removeUserFromAllGroups(tenant: TenantId, userId: string, manager: EntityManager): Promise<void> {
    await runSql(manager, `DELETE FROM group_members WHERE tenant_id = :tenant AND member_id = :userId`, { tenant, userId });
  }
}
