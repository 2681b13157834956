import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { GroupEntity } from '../../database/entities/group.entity.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import type { MemberChange } from '../../scim/patch/member-operations.js';
import type { RoleRules } from '../roles/role-rules.js';
import { RolesService } from '../roles/roles.service.js';
import { GroupMembershipRepository } from './group-membership.repository.js';
import type { GroupRef } from './group-ref.js';

/** Group membership: changes inside the caller's transaction, and what other modules ask of it. */
@Injectable()
export class GroupMembershipService {
  constructor(
    private readonly memberships: GroupMembershipRepository,
    private readonly roles: RolesService,
  ) {}

  /**
   * Membership changes in request order, as set operations. Unique-role holders are recomputed
   * only for users whose holdings can have changed: the members touched, or every member when
   * the group's role itself changed.
   */
  async apply(
    tenant: TenantId,
    group: GroupEntity,
    changes: readonly MemberChange[],
    previousRoleKey: string | undefined,
    rules: RoleRules,
    manager: EntityManager,
  ): Promise<void> {
    const tracksHolders = rules.uniqueKeys.has(group.roleKey) || (previousRoleKey !== undefined && rules.uniqueKeys.has(previousRoleKey));
    const roleChanged = previousRoleKey !== undefined && previousRoleKey !== group.roleKey;
    const touched = new Set<string>(tracksHolders && roleChanged ? await this.memberships.memberIds(tenant, group.id, manager) : []);
    for (const change of changes) {
      switch (change.kind) {
        case 'add':
        case 'replace': {
          await this.assertLiveUsers(tenant, change.ids, manager);
          if (change.kind === 'replace') {
            if (tracksHolders) for (const id of await this.memberships.memberIds(tenant, group.id, manager)) touched.add(id);
            await this.memberships.removeAllMembers(tenant, group.id, manager);
          }
          await this.memberships.addMembers(tenant, group.id, change.ids, manager);
          if (tracksHolders) for (const id of change.ids) touched.add(id);
          break;
        }
        case 'remove':
          await this.memberships.removeMembers(tenant, group.id, change.ids, manager);
          if (tracksHolders) for (const id of change.ids) touched.add(id);
          break;
        case 'removeWhere':
          if (tracksHolders) for (const id of await this.memberships.memberIdsWhere(tenant, group.id, change.filter, manager)) touched.add(id);
          await this.memberships.removeMembersWhere(tenant, group.id, change.filter, manager);
          break;
        case 'removeAll':
          if (tracksHolders) for (const id of await this.memberships.memberIds(tenant, group.id, manager)) touched.add(id);
          await this.memberships.removeAllMembers(tenant, group.id, manager);
          break;
      }
    }
    if (tracksHolders) {
      if (roleChanged) for (const id of await this.memberships.memberIds(tenant, group.id, manager)) touched.add(id);
      await this.roles.refreshUniqueHolders(tenant, [...touched], rules, manager);
    }
  }

  /**
   * The users whose membership `changes` can alter: the ids they name, and the current members a
   * filtered remove, a remove-all or a replace-all can take out. Cost grows with the change, not
   * the group, except for the whole-group forms.
   */
  async candidatesOf(tenant: TenantId, groupId: string, changes: readonly MemberChange[], manager: EntityManager): Promise<string[]> {
    const ids = new Set<string>();
    for (const change of changes) {
      if (change.kind === 'add' || change.kind === 'remove' || change.kind === 'replace') for (const id of change.ids) ids.add(id);
      if (change.kind === 'removeWhere') for (const id of await this.memberships.memberIdsWhere(tenant, groupId, change.filter, manager)) ids.add(id);
      if (change.kind === 'removeAll' || change.kind === 'replace') for (const id of await this.memberships.memberIds(tenant, groupId, manager)) ids.add(id);
    }
    return [...ids];
  }

  membersAmong(tenant: TenantId, groupId: string, ids: readonly string[], manager: EntityManager): Promise<Set<string>> {
    return this.memberships.membersAmong(tenant, groupId, ids, manager);
  }

  memberIdsOf(tenant: TenantId, groupId: string, manager: EntityManager): Promise<string[]> {
    return this.memberships.memberIds(tenant, groupId, manager);
  }

  /** The members whose unique-role holdings a change to this group can touch (all of them, when it grants a unique role). */
  async holdersAffectedBy(tenant: TenantId, group: GroupEntity, rules: RoleRules, manager: EntityManager): Promise<string[]> {
    return rules.uniqueKeys.has(group.roleKey) ? this.memberships.memberIds(tenant, group.id, manager) : [];
  }

  /** The groups of each user (a user's `groups` attribute, effective roles). */
  groupsOfUsers(tenant: TenantId, userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    return this.memberships.groupsOfUsers(tenant, userIds);
  }

  /** A soft-deleted user leaves every group: no membership comes back with a restored user. */
  removeUserFromAllGroups(tenant: TenantId, userId: string, manager: EntityManager): Promise<void> {
    return this.memberships.removeUserFromAllGroups(tenant, userId, manager);
  }

  /** Members must be live users of the same tenant; the first that is not is named, and nothing changes. */
  private async assertLiveUsers(tenant: TenantId, ids: readonly string[], manager: EntityManager): Promise<void> {
    const live = await this.memberships.liveUserIds(tenant, ids, manager);
    const unknown = ids.find((id) => !live.has(id));
    if (unknown !== undefined) throw ScimError.invalidValue(`member ${JSON.stringify(unknown)} is not a user of this tenant`);
  }
}
