import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { UserEntity } from '../../database/entities/user.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { isForeignKeyViolation, isUniqueViolation, isUniqueViolationOn } from '../../database/unique-violation.js';
import { assertIfMatch } from '../../http/etag.js';
import { SCIM_PREFIX } from '../../http/roster-paths.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import { applyPatch } from '../../scim/patch/apply-patch.js';
import { type ListResponse, toPagedListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { parseProjection, projectResource, type Projection, requestedTopLevelAttributes } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { validateResource } from '../../scim/validation/validate-resource.js';
import { hashSecret } from '../auth/secret-hash.js';
import { GroupsRepository, type GroupRef } from '../groups/groups.repository.js';
import type { RoleRules } from '../roles/role-rules.js';
import { refreshUniqueRoleHoldings } from '../roles/unique-role-holdings.js';
import { RolesService } from '../roles/roles.service.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { roleNamesOf, toUserDocument, withCanonicalRoles, type UserDocument } from './user-document.js';
import { toScimUser } from './user.mapper.js';
import { USER_CONTEXT, USER_PATCH_CONTEXT } from './user-resource.js';
import { UsersRepository, type UserChanges } from './users.repository.js';

/** What a write checks against, loaded before its transaction. */
interface WriteRules {
  readonly roles: RoleRules;
  readonly userNameFormat: 'any' | 'email';
}

/** What the rest of the platform asks about a user (DESIGN.md admin access). */
export interface UserAccess {
  readonly active: boolean;
  /** Effective roles: the user's own `roles` ∪ the roles of its groups, in catalog spelling. */
  readonly roles: readonly string[];
  readonly libraries: readonly string[];
  readonly groups: readonly { readonly id: string; readonly displayName: string }[];
}

export interface WrittenUser {
  readonly resource: ScimObject;
  readonly version: number;
}


/**
 * The User rules of RFC 7644 §3.3-§3.6 and DESIGN.md: uniqueness by the database, soft delete
 * and restore, role catalog and unique roles, write-only passwords, optimistic concurrency.
 */
@Injectable()
export class UsersService {
  private readonly scimBaseUrl: string;

  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
    private readonly tenants: TenantsService,
    private readonly roles: RolesService,
    private readonly transactions: TransactionRunner,
    @Inject(ROSTER_OPTIONS) options: RosterOptions,
  ) {
    this.scimBaseUrl = options.publicUrl + SCIM_PREFIX;
  }

  async get(tenant: TenantId, id: string): Promise<WrittenUser> {
    const user = await this.users.findById(tenant, id);
    if (!user) throw ScimError.notFound('User', id);
    return this.written(user);
  }

  /**
   * RFC 7644 §3.4.2: one page of the tenant's users as a ListResponse, projected. The attribute
   * lists are checked before the query runs, so a typo costs no database work.
   */
  async search(tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    const projection = parseProjection(request, USER_CONTEXT);
    const page = await this.users.listIds(tenant, request);
    const users = await this.users.findManyByIds(tenant, page.ids);
    const groups = this.wantsGroups(projection) ? await this.groups.groupsOfUsers(tenant, page.ids) : undefined;
    return toPagedListResponse(
      users.map((user) => projectResource(this.withGroups(this.written(user).resource, groups?.get(user.id) ?? []), projection, USER_CONTEXT)),
      page,
    );
  }

  /** The SCIM JSON of a user, projected; its groups are read only when the projection returns them. */
  async render(tenant: TenantId, user: WrittenUser, projection: Projection): Promise<ScimObject> {
    const id = user.resource.id as string;
    return this.project(user, this.wantsGroups(projection) ? await this.groupsOf(tenant, id) : [], projection);
  }

  /** GET /Users/{id}: the user and, when returned, its groups, read side by side. */
  async read(tenant: TenantId, id: string, projection: Projection): Promise<{ user: WrittenUser; groups: readonly GroupRef[] }> {
    const [user, groups] = await Promise.all([this.get(tenant, id), this.wantsGroups(projection) ? this.groupsOf(tenant, id) : []]);
    return { user, groups };
  }

  project(user: WrittenUser, groups: readonly GroupRef[], projection: Projection): ScimObject {
    return projectResource(this.withGroups(user.resource, groups), projection, USER_CONTEXT);
  }

  private async groupsOf(tenant: TenantId, id: string): Promise<readonly GroupRef[]> {
    return (await this.groups.groupsOfUsers(tenant, [id])).get(id) ?? [];
  }

  private wantsGroups(projection: Projection): boolean {
    return requestedTopLevelAttributes(projection, USER_CONTEXT).has('groups');
  }

  /** RFC 7643 §4.1.2 `groups`: readOnly, derived from memberships, direct only (no nested groups). */
  private withGroups(resource: ScimObject, groups: readonly GroupRef[]): ScimObject {
    if (groups.length === 0) return resource;
    const { meta, ...rest } = resource;
    return {
      ...rest,
      groups: groups.map((group) => ({ value: group.id, $ref: `${this.scimBaseUrl}/Groups/${group.id}`, display: group.displayName, type: 'direct' })),
      meta,
    };
  }

  /** RFC 7644 §3.3; a soft-deleted user with the same userName comes back with the same id. */
  async create(tenant: TenantId, body: unknown): Promise<WrittenUser> {
    const rules = await this.rulesFor(tenant);
    const document = this.prepare(rules, validateResource(body, USER_CONTEXT));
    const now = nowIso();
    const changes = await this.changesFrom(document, null, now);
    const user = await this.inTransaction(async (manager) => {
      const existing = await this.users.findByUserNameKeyIncludingDeleted(tenant, document.userNameKey, manager);
      if (existing && existing.deletedAt === null) throw this.userNameTaken(document.userName);
      let user: UserEntity;
      if (existing) {
        if (!(await this.users.restore(tenant, existing.id, existing.version, changes, manager))) throw this.userNameTaken(document.userName);
        user = Object.assign(existing, changes, { deletedAt: null, version: existing.version + 1 });
      } else {
        user = Object.assign(new UserEntity(), { ...changes, id: randomUUID(), tenantId: tenant, version: 1, createdAt: now, deletedAt: null });
        await this.users.insert(user, manager);
      }
      await this.users.setDirectRoles(tenant, user.id, roleHoldings(document.roleNames, document.active).held, manager);
      await refreshUniqueRoleHoldings(manager, tenant, [user.id], rules.roles.uniqueKeys);
      await this.users.writeIndex(tenant, user.id, document.data, manager);
      return user;
    }, document.userName);
    return this.written(user);
  }

  /** RFC 7644 §3.5.1: the body replaces the user; an absent password keeps the current one. */
  async replace(tenant: TenantId, id: string, body: unknown, ifMatch?: string): Promise<WrittenUser> {
    const validated = validateResource(body, USER_CONTEXT);
    return this.update(tenant, id, ifMatch, () => validated);
  }

  /** RFC 7644 §3.5.2: all operations or none, applied to the user as it is under the write's row lock. */
  async patch(tenant: TenantId, id: string, operations: readonly unknown[], ifMatch?: string): Promise<WrittenUser> {
    return this.update(tenant, id, ifMatch, (current) => {
      const patched = applyPatch(current, operations, USER_PATCH_CONTEXT);
      return validateResource(patched, USER_CONTEXT);
    });
  }

  /** RFC 7644 §3.6 as a soft delete: the user disappears from every read and gives up its unique roles. */
  async delete(tenant: TenantId, id: string, ifMatch?: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const user = await this.users.findForUpdate(tenant, id, manager);
      if (!user) throw ScimError.notFound('User', id);
      assertIfMatch(ifMatch, user.version);
      if (!(await this.users.softDelete(tenant, id, user.version, nowIso(), manager))) throw ScimError.notFound('User', id);
      await this.users.setDirectRoles(tenant, id, [], manager);
      // No membership, role or grant comes back with a user restored by POST.
      await this.groups.removeUserFromAllGroups(tenant, id, manager);
      await this.users.releaseUniqueRoles(tenant, id, manager);
    });
  }

  /** What the rest of the platform asks (DESIGN.md admin access); groups and libraries join in their issues. */
  async access(tenant: TenantId, id: string): Promise<UserAccess> {
    const rules = await this.rulesFor(tenant);
    const user = await this.users.findById(tenant, id);
    if (!user) throw ScimError.notFound('User', id);
    const groups = (await this.groups.groupsOfUsers(tenant, [id])).get(id) ?? [];
    return {
      active: user.active,
      roles: effectiveRoles(roleNamesOf(user.data), groups, rules.roles),
      libraries: [],
      groups: groups.map((group) => ({ id: group.id, displayName: group.displayName })),
    };
  }

  /** Hard-deletes users soft-deleted more than `olderThanDays` days ago. */
  async purge(tenant: TenantId, olderThanDays: number): Promise<{ purged: number }> {
    await this.tenants.require(tenant);
    const cutoff = new Date(Date.now() - olderThanDays * 86_400_000).toISOString();
    return { purged: await this.users.purgeDeletedBefore(tenant, cutoff) };
  }

  /**
   * Read-modify-write of one user inside one transaction, the row locked for its duration: two
   * concurrent writes run one after the other, and the version check in the UPDATE guards
   * against anything that slips past the lock.
   */
  private async update(
    tenant: TenantId,
    id: string,
    ifMatch: string | undefined,
    produce: (current: ScimObject) => ScimObject,
  ): Promise<WrittenUser> {
    const rules = await this.rulesFor(tenant);
    let userName = '';
    const updated = await this.inTransaction(async (manager) => {
      const current = await this.users.findForUpdate(tenant, id, manager);
      if (!current) throw ScimError.notFound('User', id);
      assertIfMatch(ifMatch, current.version);
      const document = this.prepare(rules, produce({ ...current.data, id: current.id, meta: {} }));
      userName = document.userName;
      const changes = await this.changesFrom(document, current, nowIso());
      if (!(await this.users.updateIfVersion(tenant, id, current.version, changes, manager))) {
        throw ScimError.preconditionFailed('The user changed while this request was applied; retry.');
      }
      const before = roleHoldings(roleNamesOf(current.data), current.active);
      const after = roleHoldings(document.roleNames, document.active);
      if (!sameHoldings(before, after)) {
        await this.users.setDirectRoles(tenant, id, after.held, manager);
        await refreshUniqueRoleHoldings(manager, tenant, [id], rules.roles.uniqueKeys);
      }
      await this.users.writeIndex(tenant, id, document.data, manager);
      return Object.assign(current, changes, { version: current.version + 1 });
    }, () => userName);
    return this.written(updated);
  }

  /** One transaction; a unique violation becomes the 409 of the index it hit. */
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>, userName: string | (() => string)): Promise<T> {
    try {
      return await this.transactions.run(work);
    } catch (error) {
      if (isUniqueViolationOn(error, 'unique_role_holders')) {
        throw ScimError.uniqueness('A unique role of this user is already held by another active user.');
      }
      if (isUniqueViolation(error)) throw this.userNameTaken(typeof userName === 'string' ? userName : userName());
      // The only foreign key a user write can miss is a role deleted from the catalog meanwhile.
      if (isForeignKeyViolation(error)) throw ScimError.invalidValue("A role of this user was just removed from the tenant's role catalog.");
      throw error;
    }
  }

  private async rulesFor(tenant: TenantId): Promise<WriteRules> {
    const tenantEntity = await this.tenants.require(tenant);
    return { roles: await this.roles.rulesFor(tenantEntity), userNameFormat: tenantEntity.settings.userNameFormat };
  }

  private prepare(rules: WriteRules, validated: ScimObject): UserDocument {
    const document = toUserDocument(validated, rules.userNameFormat);
    return withCanonicalRoles(document, rules.roles.canonicalNames(document.roleNames));
  }

  private async changesFrom(document: UserDocument, current: UserEntity | null, now: string): Promise<UserChanges> {
    return {
      userName: document.userName,
      userNameKey: document.userNameKey,
      externalId: document.externalId,
      displayName: document.displayName,
      active: document.active,
      data: document.data,
      passwordHash: document.password !== undefined ? await hashSecret(document.password) : (current?.passwordHash ?? null),
      lastModified: now,
    };
  }

  private userNameTaken(userName: string): ScimError {
    return ScimError.uniqueness(`userName ${JSON.stringify(userName)} is already taken in this tenant.`);
  }

  private written(user: UserEntity): WrittenUser {
    return { resource: toScimUser(user, this.scimBaseUrl), version: user.version };
  }
}

/** Direct roles ∪ group roles, each once, in the catalog's spelling, sorted. */
function effectiveRoles(direct: readonly string[], groups: readonly GroupRef[], rules: RoleRules): string[] {
  const byKey = new Map<string, string>();
  for (const name of direct) byKey.set(caseFold(name), name);
  for (const group of groups) if (!byKey.has(group.roleKey)) byKey.set(group.roleKey, rules.nameOf(group.roleKey) ?? group.roleKey);
  return [...byKey.values()].sort();
}

/** The roles a user holds directly, and whether it is active: inactive users hold no unique role, direct or through groups. */
interface RoleHoldings {
  readonly held: readonly string[];
  readonly active: boolean;
}

function roleHoldings(roleNames: readonly string[], active: boolean): RoleHoldings {
  return { held: [...new Set(roleNames.map(caseFold))].sort(), active };
}

function sameHoldings(a: RoleHoldings, b: RoleHoldings): boolean {
  return a.active === b.active && a.held.join('\n') === b.held.join('\n');
}
