import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RoleEntity } from '../../database/entities/role.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../database/unique-violation.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { TenantSettings } from '../../domain/tenant-settings.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { RolesRepository } from './roles.repository.js';
import { RoleRules } from './role-rules.js';
import { newRole } from './system-roles.js';

export interface RoleView {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly system: boolean;
  /** Held by at most one active user of the tenant (tenant setting `uniqueRoles`). */
  readonly unique: boolean;
}

export interface RoleInput {
  readonly name?: string;
  readonly description?: string | null;
  readonly unique?: boolean;
}

const ROLE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._:-]{0,99}$/u;

/** The per-tenant role catalog. Which roles are unique lives in the tenant's `uniqueRoles` setting. */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly tenants: TenantsService,
  ) {}

  async list(tenant: TenantId): Promise<RoleView[]> {
    const uniqueKeys = await this.uniqueRoleKeys(tenant);
    return (await this.roles.list(tenant)).map((role) => toRoleView(role, uniqueKeys));
  }

  async create(tenant: TenantId, input: RoleInput): Promise<RoleView> {
    const name = input.name?.trim() ?? '';
    if (!ROLE_NAME.test(name)) throw ScimError.invalidValue(`role name ${JSON.stringify(name)} must be 1-100 letters, digits, spaces or ._:-`);
    await this.tenants.require(tenant);
    const role = newRole(tenant, name, input.description ?? null, false, nowIso());
    try {
      await this.roles.insert([role]);
    } catch (error) {
      if (isUniqueViolation(error)) throw ScimError.uniqueness(`role ${JSON.stringify(name)} already exists`);
      throw error;
    }
    if (input.unique !== undefined) await this.setUnique(tenant, role.nameKey, input.unique);
    return toRoleView(role, await this.uniqueRoleKeys(tenant));
  }

  async update(tenant: TenantId, id: string, input: RoleInput): Promise<RoleView> {
    const role = await this.require(tenant, id);
    if (input.name !== undefined && caseFold(input.name) !== role.nameKey) {
      throw ScimError.mutability('a role cannot be renamed: users and groups refer to it by name');
    }
    if (input.description !== undefined) {
      role.description = input.description;
      await this.roles.save(role);
    }
    if (input.unique !== undefined) await this.setUnique(tenant, role.nameKey, input.unique);
    return toRoleView(role, await this.uniqueRoleKeys(tenant));
  }

  async delete(tenant: TenantId, id: string): Promise<void> {
    const role = await this.require(tenant, id);
    if (role.isSystem) throw ScimError.mutability(`system role ${JSON.stringify(role.name)} cannot be deleted`);
    // Refused rather than cascaded: silently taking a role from users is a change their IdP never made.
    const holders = await this.roles.countHolders(tenant, role.nameKey);
    if (holders.users > 0 || holders.groups > 0) {
      throw new ScimError(
        409,
        `role ${JSON.stringify(role.name)} is held by ${holders.users} user(s) and granted by ${holders.groups} group(s); take it from them first`,
      );
    }
    try {
      await this.roles.delete(tenant, id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ScimError(409, `role ${JSON.stringify(role.name)} was just given to a user or group`);
      throw error;
    }
  }

  /**
   * What a SCIM write checks against, read before its transaction: the role rules and the
   * tenant's settings, in one statement; 404 when the tenant does not exist.
   */
  async writeRulesFor(tenant: TenantId): Promise<{ readonly roles: RoleRules; readonly settings: TenantSettings }> {
    const found = await this.roles.catalogWithSettings(tenant);
    if (found === null) throw ScimError.notFound('Tenant', tenant);
    return { roles: new RoleRules(found.catalog, uniqueKeysIn(found.settings)), settings: found.settings };
  }

  /** Each user's effective roles (direct ∪ its groups'), in the catalog's spelling, sorted; none while inactive or deleted. */
  async effectiveRolesOf(tenant: TenantId, userIds: readonly string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    const names = await this.roles.effectiveRoleNames(tenant, userIds, manager);
    return new Map([...names].map(([user, held]) => [user, [...held].sort()]));
  }

  /** Recomputes which of `userIds` hold the tenant's unique roles, in the caller's transaction (409 on a second holder). */
  refreshUniqueHolders(tenant: TenantId, userIds: readonly string[], rules: RoleRules, manager: EntityManager): Promise<void> {
    return this.roles.refreshUniqueHolders(tenant, userIds, rules.uniqueKeys, manager);
  }

  /** refreshUniqueHolders for a user inserted in the caller's transaction, holding exactly the roles `held` directly. */
  addUniqueHoldersOfNew(tenant: TenantId, userId: string, held: readonly string[], active: boolean, rules: RoleRules, manager: EntityManager): Promise<void> {
    return this.roles.addUniqueHoldersOfNew(tenant, userId, held, active, rules.uniqueKeys, manager);
  }

  /**
   * refreshUniqueHolders for a user that has just become inactive: it holds no unique role, so its
   * holder rows go without reading its roles (one statement instead of three).
   */
  async releaseUniqueRolesOf(tenant: TenantId, userId: string, rules: RoleRules, manager: EntityManager): Promise<void> {
    // As refreshUniqueHolders: a tenant without unique roles has no holder rows to keep right.
    if (rules.uniqueKeys.size > 0) await this.roles.releaseUniqueRoles(tenant, userId, manager);
  }

  releaseUniqueRoles(tenant: TenantId, userId: string, manager: EntityManager): Promise<void> {
    return this.roles.releaseUniqueRoles(tenant, userId, manager);
  }

  /** Adds a custom role to the catalog unless it is there already (a group named like a role it creates). */
  addIfAbsent(tenant: TenantId, name: string, manager: EntityManager): Promise<void> {
    return this.roles.insertIfAbsent(newRole(tenant, name, null, false, nowIso()), manager);
  }

  async uniqueRoleKeys(tenant: TenantId): Promise<Set<string>> {
    return uniqueKeysIn((await this.tenants.require(tenant)).settings);
  }

  private async setUnique(tenant: TenantId, key: string, unique: boolean): Promise<void> {
    const current = await this.uniqueRoleKeys(tenant);
    if (unique) current.add(key);
    else current.delete(key);
    await this.tenants.updateSettings(tenant, { uniqueRoles: [...current] });
  }

  private async require(tenant: TenantId, id: string): Promise<RoleEntity> {
    const role = await this.roles.findById(tenant, id);
    if (!role) throw ScimError.notFound('Role', id);
    return role;
  }
}

function uniqueKeysIn(settings: TenantSettings): Set<string> {
  return new Set(settings.uniqueRoles.map(caseFold));
}

function toRoleView(role: RoleEntity, uniqueKeys: ReadonlySet<string>): RoleView {
  return { id: role.id, name: role.name, description: role.description, system: role.isSystem, unique: uniqueKeys.has(role.nameKey) };
}
