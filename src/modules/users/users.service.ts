import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SCIM_BASE_URL } from '../../config/injection-tokens.js';
import { UserEntity } from '../../database/entities/user.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { isForeignKeyViolation, isUniqueViolation, isUniqueViolationOn } from '../../database/unique-violation.js';
import { sameIdLists, sameIdSets } from '../../domain/id-sets.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import type { ListResponse } from '../../scim/list-response.js';
import { applyPatch } from '../../scim/patch/apply-patch.js';
import { getMember, isRecord, type ScimObject } from '../../scim/patch/scim-json.js';
import { parseProjection, type ProjectionParams } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { ResourceAnswer } from '../../scim/resource-answer.js';
import { ACCESS_USER_SCHEMA, NOTIFICATIONS_USER_SCHEMA } from '../../scim/schemas/index.js';
import { validateResource } from '../../scim/validation/validate-resource.js';
import { hashSecret } from '../auth/secret-hash.js';
import { DiscoveryRegistry } from '../discovery/discovery.registry.js';
import { type EffectiveAccess, EffectiveAccessService } from '../access/effective-access.service.js';
import { GroupMembershipService } from '../groups/group-membership.service.js';
import { LibraryGrantsService } from '../libraries/library-grants.service.js';
import type { LibraryRef } from '../libraries/library-grants.service.js';
import { libraryRefsLoader, libraryRefValues, takeLibraryRefs, withLibraryRefs } from '../libraries/library-refs.js';
import type { ChangeFact } from '../resources/resource-changes.js';
import type { AttributeLoader, AttributeValues } from '../resources/resource-definition.js';
import { ResourceReader } from '../resources/resource-reader.js';
import { ResourceRegistry } from '../resources/resource-registry.js';
import { type ErrorExplainer, ResourceWriter } from '../resources/resource-writer.js';
import type { RoleRules } from '../roles/role-rules.js';
import { RolesService } from '../roles/roles.service.js';
import { roleNamesOf, toUserDocument, withCanonicalRoles, type UserDocument } from './user-document.js';
import { UserGroupsLoader } from './user-groups.loader.js';
import { USERS } from './user.definition.js';
import { type UserChanges, UsersRepository } from './users.repository.js';

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
  /** Effective libraries: the user's own grants ∪ the grants of its groups, by displayName. */
  readonly libraries: readonly { readonly id: string; readonly displayName: string }[];
  readonly groups: readonly { readonly id: string; readonly displayName: string }[];
}

/**
 * What is special about a User on the shared pipeline (RFC 7644 §3.3-§3.6, DESIGN.md):
 * uniqueness by the database, soft delete and restore, role catalog and unique roles,
 * write-only passwords.
 */
@Injectable()
export class UsersService implements OnModuleInit {
  private readonly loaders: readonly AttributeLoader[];

  constructor(
    private readonly users: UsersRepository,
    private readonly membership: GroupMembershipService,
    private readonly roles: RolesService,
    private readonly reader: ResourceReader,
    private readonly writer: ResourceWriter,
    private readonly registry: ResourceRegistry,
    private readonly discovery: DiscoveryRegistry,
    private readonly libraries: LibraryGrantsService,
    private readonly effectiveAccess: EffectiveAccessService,
    groups: UserGroupsLoader,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
  ) {
    this.loaders = [
      groups,
      libraryRefsLoader(`${ACCESS_USER_SCHEMA}:libraries`, scimBaseUrl, (tenant, ids) => libraries.grantsOf('user', tenant, ids), libraries.grantsInline('user')),
      libraryRefsLoader(`${ACCESS_USER_SCHEMA}:effectiveLibraries`, scimBaseUrl, (tenant, ids) => libraries.effectiveOf(tenant, ids)),
      effectiveRolesLoader((tenant, ids) => roles.effectiveRolesOf(tenant, ids)),
    ];
    // Before routes are registered: the direct reads (src/http/direct-routes.ts) ask the registry then.
    this.registry.register(USERS, (tenant, request) => this.list(tenant, request), this, (tenant, id, params, ifNoneMatch) => this.get(tenant, id, params, ifNoneMatch));
  }

  onModuleInit(): void {
    this.discovery.enableFeatures({ changePassword: true });
  }

  get(tenant: TenantId, id: string, params: ProjectionParams, ifNoneMatch?: string): Promise<ResourceAnswer> {
    return this.reader.get(USERS, this.loaders, tenant, id, params, ifNoneMatch);
  }

  list(tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    return this.reader.list(USERS, this.loaders, tenant, request);
  }

  /** RFC 7644 §3.3; a soft-deleted user with the same userName comes back with the same id. */
  async create(tenant: TenantId, body: unknown, params: ProjectionParams): Promise<ResourceAnswer> {
    const projection = parseProjection(params, USERS.type.context);
    const rules = await this.rulesFor(tenant);
    const document = this.prepare(rules, validateResource(body, USERS.type.context));
    const now = nowIso();
    const changes = await this.changesFrom(document, null, now);
    let granted: readonly string[] = [];
    const user = await this.writer.create(
      USERS,
      tenant,
      async (manager) => {
        // The common case first: a userName the tenant has never had is inserted in one statement.
        let row: UserEntity = Object.assign(new UserEntity(), { ...changes, id: randomUUID(), tenantId: tenant, version: 1, createdAt: now, deletedAt: null });
        let existing: UserEntity | null = null;
        let restoredFrom: UserEntity['data'] | undefined;
        if (!(await this.users.insertUnlessUserNameTaken(row, manager))) {
          // Taken, by a live user (409) or a soft-deleted one, which this create brings back.
          existing = await this.users.findByUserNameKeyIncludingDeleted(tenant, document.userNameKey, manager);
          if (existing === null || existing.deletedAt === null) throw userNameTaken(document.userName);
          if (!(await this.users.restore(tenant, existing.id, existing.version, changes, manager))) throw userNameTaken(document.userName);
          // The document it had, whose index rows the restore replaces (read before `changes` overwrite it).
          restoredFrom = existing.data;
          row = Object.assign(existing, changes, { deletedAt: null, version: existing.version + 1 });
        }
        const libraryIds = await this.libraries.resolve(tenant, document.libraryRefs, manager);
        granted = libraryIds;
        return {
          row,
          restoredFrom,
          after: async (tx) => {
            const held = roleHoldings(document.roleNames, document.active).held;
            if (existing) {
              await this.users.setDirectRoles(tenant, row.id, held, tx);
              await this.roles.refreshUniqueHolders(tenant, [row.id], rules.roles, tx);
              await this.libraries.replaceGrants('user', tenant, row.id, libraryIds, tx);
            } else {
              // A user inserted just now has no roles, holder rows or grants to replace, nor a group
              // to hold roles through: five statements fewer on the IdP's busiest write.
              await this.users.addDirectRoles(tenant, row.id, held, tx);
              await this.roles.addUniqueHoldersOfNew(tenant, row.id, held, document.active, rules.roles, tx);
              await this.libraries.grantToNew('user', tenant, row.id, libraryIds, tx);
            }
            // A new or restored user had no access (a soft delete took it all), nor gets any without roles or grants.
            const mayHaveAccess = document.active && (document.roleNames.length > 0 || libraryIds.length > 0);
            const facts = mayHaveAccess ? this.effectiveAccess.changes(new Map(), await this.effectiveAccess.of(tenant, [row.id], tx)) : [];
            if (wantsInvitation(document.data)) facts.push({ type: 'user.invitation_requested' });
            return { facts, ...(existing ? { baseType: 'user.restored' } : {}) };
          },
        };
      },
      explainUserWrite(() => document.userName),
    );
    // A user inserted just now (version 1; a restored one has moved on from its deletion) is in no
    // group: nobody could name its id in a group before this answer. Nor has it a grant it was not
    // created with: created without any, its answer needs no read of them.
    const known = new Map<string, AttributeValues>();
    if (user.version === 1) {
      known.set('groups', []);
      if (granted.length === 0) known.set(`${ACCESS_USER_SCHEMA}:libraries`, []);
    }
    const resource = await this.reader.render(USERS, this.loaders, tenant, user, projection, known);
    return ResourceAnswer.created(user.version, resource, this.reader.locationOf(USERS, user.id));
  }

  /** RFC 7644 §3.5.1: the body replaces the user; an absent password keeps the current one. */
  async replace(tenant: TenantId, id: string, body: unknown, params: ProjectionParams, ifMatch?: string): Promise<ResourceAnswer> {
    const validated = validateResource(body, USERS.type.context);
    return this.update(tenant, id, params, ifMatch, () => validated);
  }

  /** RFC 7644 §3.5.2: all operations or none, applied to the user as it is under the write's row lock. */
  async patch(tenant: TenantId, id: string, operations: readonly unknown[], params: ProjectionParams, ifMatch?: string): Promise<ResourceAnswer> {
    return this.update(tenant, id, params, ifMatch, (current) => validateResource(applyPatch(current, operations, USERS.type.patchContext), USERS.type.context));
  }

  /** RFC 7644 §3.6 as a soft delete: the user disappears from every read and gives up its unique roles. */
  async delete(tenant: TenantId, id: string, ifMatch?: string): Promise<void> {
    await this.writer.delete(USERS, tenant, id, ifMatch, async (user, manager) => {
      const before = await this.effectiveAccess.of(tenant, [id], manager);
      if (!(await this.users.softDelete(tenant, id, user.version, nowIso(), manager))) throw ScimError.notFound('User', id);
      await this.users.setDirectRoles(tenant, id, [], manager);
      // No membership, role or grant comes back with a user restored by POST.
      await this.membership.removeUserFromAllGroups(tenant, id, manager);
      await this.roles.releaseUniqueRoles(tenant, id, manager);
      await this.libraries.replaceGrants('user', tenant, id, [], manager);
      // DESIGN.md: the platform ends a deleted user's sessions and tokens (STACKIT's rule).
      return { baseData: { revokeSessions: true }, facts: this.effectiveAccess.changes(before, new Map()) };
    });
  }

  /** What the rest of the platform asks (DESIGN.md admin access): an inactive user has no effective roles or libraries. */
  async access(tenant: TenantId, id: string): Promise<UserAccess> {
    const access = await this.effectiveAccess.ofUser(tenant, id);
    if (access === null) throw ScimError.notFound('User', id);
    return { active: access.active, roles: access.roles, libraries: access.libraries, groups: access.groups };
  }

  private async update(
    tenant: TenantId,
    id: string,
    params: ProjectionParams,
    ifMatch: string | undefined,
    produce: (current: ScimObject) => ScimObject,
  ): Promise<ResourceAnswer> {
    const projection = parseProjection(params, USERS.type.context);
    const rules = await this.rulesFor(tenant);
    let userName = '';
    // The grants as the write found them, when it left them so: the answer needs no second read of them.
    let unchangedGrants: readonly LibraryRef[] | undefined;
    const user = await this.writer.update(
      USERS,
      tenant,
      id,
      ifMatch,
      async (current, manager) => {
        const grants = (await this.libraries.grantsOf('user', tenant, [id], manager)).get(id) ?? [];
        const document = this.prepare(rules, produce(withLibraryRefs({ ...current.data, id: current.id, meta: {} }, ACCESS_USER_SCHEMA, grants)));
        userName = document.userName;
        const columns = await this.changesFrom(document, current, nowIso());
        const grantIds = grants.map((grant) => grant.id);
        // The current grants, put into the document for the PATCH to work on and left as they were, need no lookup.
        const libraryIds = sameIdLists(document.libraryRefs, grantIds) ? grantIds : await this.libraries.resolve(tenant, document.libraryRefs, manager);
        const before = roleHoldings(roleNamesOf(current.data), current.active);
        const after = roleHoldings(document.roleNames, document.active);
        const heldChanged = !sameHeld(before, after);
        const grantsChanged = !sameIdSets(libraryIds, grantIds);
        unchangedGrants = grantsChanged ? undefined : grants;
        const access = accessSnapshots(heldChanged || grantsChanged, before.active, after.active);
        const accessBefore = access.before === 'read' ? await this.effectiveAccess.of(tenant, [id], manager) : access.before;
        return {
          columns,
          after: async (tx) => {
            if (heldChanged) {
              await this.users.setDirectRoles(tenant, id, after.held, tx);
              await this.roles.refreshUniqueHolders(tenant, [id], rules.roles, tx);
            } else if (before.active !== after.active) {
              // Only the activity moved: the direct roles stay as they are, and an inactive user holds no unique role.
              if (after.active) await this.roles.refreshUniqueHolders(tenant, [id], rules.roles, tx);
              else await this.roles.releaseUniqueRolesOf(tenant, id, rules.roles, tx);
            }
            if (grantsChanged) await this.libraries.replaceGrants('user', tenant, id, libraryIds, tx);
            const facts = activityFacts(current.active, document.active);
            if (accessBefore !== undefined) {
              const accessAfter = access.after === 'read' ? await this.effectiveAccess.of(tenant, [id], tx) : access.after;
              facts.push(...this.effectiveAccess.changes(accessBefore, accessAfter));
            }
            return { facts, ...(grantsChanged ? { changedBesides: [`${ACCESS_USER_SCHEMA}:libraries`] } : {}) };
          },
        };
      },
      explainUserWrite(() => userName),
    );
    const known =
      unchangedGrants === undefined ? undefined : new Map<string, AttributeValues>([[`${ACCESS_USER_SCHEMA}:libraries`, libraryRefValues(this.scimBaseUrl, unchangedGrants)]]);
    return ResourceAnswer.ok(user.version, await this.reader.render(USERS, this.loaders, tenant, user, projection, known));
  }

  private async rulesFor(tenant: TenantId): Promise<WriteRules> {
    const { roles, settings } = await this.roles.writeRulesFor(tenant);
    return { roles, userNameFormat: settings.userNameFormat };
  }

  /** The stored document (library grants taken out: they are rows) and what the rules check. */
  private prepare(rules: WriteRules, validated: ScimObject): PreparedUser {
    const { data, refs } = takeLibraryRefs(validated, ACCESS_USER_SCHEMA);
    const document = toUserDocument(data, rules.userNameFormat);
    return { ...withCanonicalRoles(document, rules.roles.canonicalNames(document.roleNames)), libraryRefs: refs };
  }

  private async changesFrom(document: PreparedUser, current: UserEntity | null, now: string): Promise<UserChanges> {
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
}

function userNameTaken(userName: string): ScimError {
  return ScimError.uniqueness(`userName ${JSON.stringify(userName)} is already taken in this tenant.`);
}

/** Unique and foreign-key violations of a user write, as the SCIM errors they mean. */
function explainUserWrite(userName: () => string): ErrorExplainer {
  return (error) => {
    if (isUniqueViolationOn(error, 'unique_role_holders')) return ScimError.uniqueness('A unique role of this user is already held by another active user.');
    if (isUniqueViolation(error)) return userNameTaken(userName());
    // The foreign keys a user write can miss: a role deleted from the catalog, a library deleted, meanwhile.
    if (isForeignKeyViolation(error)) return ScimError.invalidValue("A role or library of this user was just removed from the tenant.");
    return undefined;
  };
}

/** The access extension's `effectiveRoles` (returned on request): role names, not complex values. */
function effectiveRolesLoader(load: (tenant: TenantId, ids: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>): AttributeLoader {
  return {
    attribute: `${ACCESS_USER_SCHEMA}:effectiveRoles`,
    streamed: false,
    forPage: load,
    async *pagesOf(tenant: TenantId, id: string): AsyncGenerator<readonly string[]> {
      yield (await load(tenant, [id])).get(id) ?? [];
    },
  };
}

/** DESIGN.md: deactivation ends the user's sessions and tokens on the platform (STACKIT's rule). */
function activityFacts(wasActive: boolean, isActive: boolean): ChangeFact[] {
  if (wasActive === isActive) return [];
  return [isActive ? { type: 'user.reactivated' } : { type: 'user.deactivated', data: { revokeSessions: true } }];
}

/** The notifications extension's `sendInvitation` (on create or restore). */
function wantsInvitation(data: ScimObject): boolean {
  const notifications = getMember(data, NOTIFICATIONS_USER_SCHEMA);
  return isRecord(notifications) && getMember(notifications, 'sendInvitation') === true;
}

type PreparedUser = UserDocument & { readonly libraryRefs: readonly string[] };


/** The roles a user holds directly, and whether it is active: inactive users hold no unique role, direct or through groups. */
interface RoleHoldings {
  readonly held: readonly string[];
  readonly active: boolean;
}

function roleHoldings(roleNames: readonly string[], active: boolean): RoleHoldings {
  return { held: [...new Set(roleNames.map(caseFold))].sort(), active };
}

function sameHeld(a: RoleHoldings, b: RoleHoldings): boolean {
  return a.held.join('\n') === b.held.join('\n');
}

/** How a user write learns the access it had and has: read in its transaction, or known without a read. */
interface AccessSnapshots {
  readonly before: 'read' | ReadonlyMap<string, EffectiveAccess> | undefined;
  readonly after: 'read' | ReadonlyMap<string, EffectiveAccess>;
}

/**
 * Only the user's own roles, grants or activity can change its access in a user write: without
 * them, no snapshot. When only the activity moves, the inactive side has no access (DESIGN.md
 * admin access; effectiveOf reads none for an inactive user), so only the active side is read.
 */
function accessSnapshots(rolesOrGrantsChanged: boolean, wasActive: boolean, isActive: boolean): AccessSnapshots {
  if (rolesOrGrantsChanged) return { before: 'read', after: 'read' };
  if (wasActive === isActive) return { before: undefined, after: NO_ACCESS };
  return isActive ? { before: NO_ACCESS, after: 'read' } : { before: 'read', after: NO_ACCESS };
}

const NO_ACCESS: ReadonlyMap<string, EffectiveAccess> = new Map();
