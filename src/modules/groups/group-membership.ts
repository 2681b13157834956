import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { GroupEntity } from '../../database/entities/group.entity.js';
import { ScimError } from '../../scim/errors.js';
import type { MemberChange } from '../../scim/patch/member-operations.js';
import type { RoleRules } from '../roles/role-rules.js';
import { refreshUniqueRoleHoldings } from '../roles/unique-role-holdings.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { GroupsRepository } from './groups.repository.js';

/** Applies a group's membership changes inside the caller's transaction. */
@Injectable()
export class GroupMembership {
  constructor(private readonly groups: GroupsRepository) {}

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
    const touched = new Set<string>(tracksHolders && roleChanged ? await this.groups.memberIds(tenant, group.id, manager) : []);
    for (const change of changes) {
      switch (change.kind) {
        case 'add':
        case 'replace': {
          await this.assertLiveUsers(tenant, change.ids, manager);
          if (change.kind === 'replace') {
            if (tracksHolders) for (const id of await this.groups.memberIds(tenant, group.id, manager)) touched.add(id);
            await this.groups.removeAllMembers(tenant, group.id, manager);
          }
          await this.groups.addMembers(tenant, group.id, change.ids, manager);
          if (tracksHolders) for (const id of change.ids) touched.add(id);
          break;
        }
        case 'remove':
          await this.groups.removeMembers(tenant, group.id, change.ids, manager);
          if (tracksHolders) for (const id of change.ids) touched.add(id);
          break;
        case 'removeWhere':
          if (tracksHolders) for (const id of await this.groups.memberIdsWhere(tenant, group.id, change.filter, manager)) touched.add(id);
          await this.groups.removeMembersWhere(tenant, group.id, change.filter, manager);
          break;
        case 'removeAll':
          if (tracksHolders) for (const id of await this.groups.memberIds(tenant, group.id, manager)) touched.add(id);
          await this.groups.removeAllMembers(tenant, group.id, manager);
          break;
      }
    }
    if (tracksHolders) {
      if (roleChanged) for (const id of await this.groups.memberIds(tenant, group.id, manager)) touched.add(id);
      await refreshUniqueRoleHoldings(manager, tenant, [...touched], rules.uniqueKeys);
    }
  }

  /** Members must be live users of the same tenant; the first that is not is named, and nothing changes. */
  private async assertLiveUsers(tenant: TenantId, ids: readonly string[], manager: EntityManager): Promise<void> {
    const live = await this.groups.liveUserIds(tenant, ids, manager);
    const unknown = ids.find((id) => !live.has(id));
    if (unknown !== undefined) throw ScimError.invalidValue(`member ${JSON.stringify(unknown)} is not a user of this tenant`);
  }
}
