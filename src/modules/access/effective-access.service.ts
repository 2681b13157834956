import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';
import { LibraryGrantsService } from '../libraries/library-grants.service.js';
import type { ChangeFact } from '../resources/resource-changes.js';
import { RolesService } from '../roles/roles.service.js';
import { UserAccessRepository } from './user-access.repository.js';

/** What a user may use: effective roles (names) and libraries; nothing while inactive or deleted. */
export interface EffectiveAccess {
  readonly roles: readonly string[];
  readonly libraries: readonly { readonly id: string; readonly displayName: string }[];
}

const NONE: EffectiveAccess = { roles: [], libraries: [] };

/**
 * Effective access of users as a transaction sees it, before and after a change, and the
 * `user.access_changed` events (DESIGN.md) for those whose access the change altered, whichever
 * path altered it: their own roles or grants, a group's members, role or grants, a library's
 * deletion, deactivation.
 */
@Injectable()
export class EffectiveAccessService {
  constructor(
    private readonly roles: RolesService,
    private readonly libraries: LibraryGrantsService,
    private readonly stored: UserAccessRepository,
  ) {}

  /**
   * One live user's access as the admin access endpoint answers it, in one statement; null when
   * the user does not exist or is deleted. An inactive user keeps its groups but has no access.
   */
  async ofUser(tenant: TenantId, userId: string): Promise<(EffectiveAccess & { readonly active: boolean; readonly groups: readonly { readonly id: string; readonly displayName: string }[] }) | null> {
    const found = await this.stored.find(tenant, userId);
    if (found === null) return null;
    const { active, groups } = found;
    // The same order as effectiveRolesOf: names sorted by UTF-16 code units.
    return active ? { active, groups, roles: [...found.roleNames].sort(), libraries: found.libraries } : { active, groups, ...NONE };
  }

  async of(tenant: TenantId, userIds: readonly string[], manager?: EntityManager): Promise<Map<string, EffectiveAccess>> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return new Map();
    // One user in a write (a user's own write, a member added or removed): the access endpoint's
    // one statement, in the transaction, instead of the two that read many users at once.
    if (unique.length === 1 && manager !== undefined) {
      const [id] = unique;
      const found = await this.stored.findIn(manager, tenant, id);
      return new Map([[id, found === null || !found.active ? NONE : { roles: [...found.roleNames].sort(), libraries: found.libraries }]]);
    }
    const roles = await this.roles.effectiveRolesOf(tenant, unique, manager);
    const libraries = await this.libraries.effectiveOf(tenant, unique, manager);
    return new Map(
      unique.map((id) => [id, { roles: roles.get(id) ?? [], libraries: (libraries.get(id) ?? []).map(({ id: libraryId, displayName }) => ({ id: libraryId, displayName })) }]),
    );
  }

  /** A `user.access_changed` event for each user whose access differs between the two snapshots. */
  changes(before: ReadonlyMap<string, EffectiveAccess>, after: ReadonlyMap<string, EffectiveAccess>): ChangeFact[] {
    const users = [...new Set([...before.keys(), ...after.keys()])].sort();
    return users.flatMap((id) => {
      const was = before.get(id) ?? NONE;
      const is = after.get(id) ?? NONE;
      if (sameAccess(was, is)) return [];
      return [{ type: 'user.access_changed', resource: { type: 'User', id }, data: { before: was, after: is } }];
    });
  }
}

function sameAccess(a: EffectiveAccess, b: EffectiveAccess): boolean {
  return a.roles.join('\n') === b.roles.join('\n') && a.libraries.map((l) => l.id).join('\n') === b.libraries.map((l) => l.id).join('\n');
}
