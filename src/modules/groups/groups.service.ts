import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { GroupEntity } from '../../database/entities/group.entity.js';
import { RoleEntity } from '../../database/entities/role.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { isForeignKeyViolation, isUniqueViolationOn } from '../../database/unique-violation.js';
import { assertIfMatch } from '../../http/etag.js';
import { SCIM_PREFIX } from '../../http/roster-paths.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import { type ListResponse, toPagedListResponse } from '../../scim/list-response.js';
import { applyPatch, parseOperations } from '../../scim/patch/apply-patch.js';
import { type MemberChange, splitMemberOperations } from '../../scim/patch/member-operations.js';
import { getMember, isRecord, type ScimObject, setMember } from '../../scim/patch/scim-json.js';
import { parseProjection, projectResource, type Projection, requestedTopLevelAttributes } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { ACCESS_GROUP_SCHEMA, GROUP_SCHEMA } from '../../scim/schemas/index.js';
import { validateResource } from '../../scim/validation/validate-resource.js';
import type { RoleRules } from '../roles/role-rules.js';
import { RolesService } from '../roles/roles.service.js';
import { newRole } from '../roles/system-roles.js';
import { refreshUniqueRoleHoldings } from '../roles/unique-role-holdings.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { GROUP_SCHEMAS, type GroupDocument, toGroupDocument, withoutForeignSchemas } from './group-document.js';
import { groupJsonStream } from './group-json-stream.js';
import { toMemberValue, toScimGroup } from './group.mapper.js';
import { GROUP_CONTEXT, GROUP_PATCH_CONTEXT } from './group-resource.js';
import { GroupMembership } from './group-membership.js';
import { GroupsRepository, type MemberRow } from './groups.repository.js';

export interface WrittenGroup {
  readonly group: GroupEntity;
  readonly version: number;
}

/** Most members one list answer carries; single groups have no limit (GET streams them). */
export const LIST_MEMBER_LIMIT = 100_000;

// Role names in the catalog are at most 100 characters (roles.name).
const ROLE_NAME_MAX_LENGTH = 100;

/**
 * Groups as roles (DESIGN.md): full CRUD, PATCH whose membership changes are set operations in
 * SQL, displayName unique per tenant (case-insensitively, by the database), the role a group
 * grants, and unique roles held across direct and group grants.
 */
@Injectable()
export class GroupsService {
  private readonly scimBaseUrl: string;

  constructor(
    private readonly groups: GroupsRepository,
    private readonly membership: GroupMembership,
    private readonly tenants: TenantsService,
    private readonly roles: RolesService,
    private readonly transactions: TransactionRunner,
    @Inject(ROSTER_OPTIONS) options: RosterOptions,
  ) {
    this.scimBaseUrl = options.publicUrl + SCIM_PREFIX;
  }

  async get(tenant: TenantId, id: string): Promise<GroupEntity> {
    const group = await this.groups.findById(tenant, id);
    if (!group) throw ScimError.notFound('Group', id);
    return group;
  }

  /**
   * One group for GET /Groups/{id}: a stream when it has members to return (page by page, so a
   * large group costs bounded memory), else the projected JSON.
   */
  async renderForRead(tenant: TenantId, group: GroupEntity, projection: Projection): Promise<ScimObject | Readable> {
    const withoutMembers = projectResource(toScimGroup(group, this.scimBaseUrl), projection, GROUP_CONTEXT);
    if (!requestedTopLevelAttributes(projection, GROUP_CONTEXT).has('members')) return withoutMembers;
    const pages = this.groups.members(tenant, group.id);
    const first = await pages.next();
    if (first.done === true || first.value.length === 0) return withoutMembers;
    const project = (members: readonly MemberRow[]): ScimObject[] => {
      const projected = projectResource({ members: members.map((member) => toMemberValue(member, this.scimBaseUrl)) }, projection, GROUP_CONTEXT);
      return Array.isArray(projected.members) ? (projected.members as ScimObject[]) : [];
    };
    async function* projectedPages(): AsyncGenerator<ScimObject[]> {
      yield project(first.value as MemberRow[]);
      for await (const page of pages) yield project(page);
    }
    return groupJsonStream(withoutMembers, projectedPages());
  }

  /** The SCIM JSON of a group, projected; members are read only when the projection returns them. */
  async render(tenant: TenantId, group: GroupEntity, projection: Projection): Promise<ScimObject> {
    const members = requestedTopLevelAttributes(projection, GROUP_CONTEXT).has('members') ? await this.membersOf(tenant, group.id) : undefined;
    return projectResource(toScimGroup(group, this.scimBaseUrl, members), projection, GROUP_CONTEXT);
  }

  async search(tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    const projection = parseProjection(request, GROUP_CONTEXT);
    const page = await this.groups.listIds(tenant, request);
    if (requestedTopLevelAttributes(projection, GROUP_CONTEXT).has('members')) await this.assertListableMembers(tenant, page.ids);
    const groups = await this.groups.findManyByIds(tenant, page.ids);
    const resources: ScimObject[] = [];
    for (const group of groups) resources.push(await this.render(tenant, group, projection));
    return toPagedListResponse(resources, page);
  }

  /**
   * A list answer holds its groups' members in memory (GET /Groups/{id} streams them), so a page
   * whose groups hold more than LIST_MEMBER_LIMIT members together is refused instead of
   * exhausting the process: `tooMany` (RFC 7644 §3.12) tells the client to ask for less.
   */
  private async assertListableMembers(tenant: TenantId, ids: readonly string[]): Promise<void> {
    const total = await this.groups.memberCount(tenant, ids);
    if (total > LIST_MEMBER_LIMIT) {
      throw ScimError.tooMany(
        `These ${ids.length} groups have ${total} members together, over the ${LIST_MEMBER_LIMIT} a list answer carries; ` +
          'list with excludedAttributes=members (or a smaller count) and read large groups with GET /Groups/{id}.',
      );
    }
  }

  /** RFC 7644 §3.3. */
  async create(tenant: TenantId, body: unknown): Promise<WrittenGroup> {
    const document = toGroupDocument(validateResource(withoutForeignSchemas(body, GROUP_SCHEMAS), GROUP_CONTEXT));
    const rules = await this.rulesFor(tenant);
    const now = nowIso();
    return this.inTransaction(document.displayName, async (manager) => {
      const role = await this.roleFor(tenant, document, undefined, rules, manager);
      const group = Object.assign(new GroupEntity(), {
        id: randomUUID(),
        tenantId: tenant,
        displayName: document.displayName,
        displayNameKey: document.displayNameKey,
        roleKey: role.key,
        data: withRole(document.data, role.name),
        version: 1,
        createdAt: now,
        lastModified: now,
      });
      await this.groups.insert(group, manager);
      await this.groups.writeIndex(tenant, group.id, group.data, manager);
      const changes: MemberChange[] = document.memberIds === undefined ? [] : [{ kind: 'add', ids: document.memberIds }];
      await this.membership.apply(tenant, group, changes, undefined, rules, manager);
      return { group, version: group.version };
    });
  }

  /** RFC 7644 §3.5.1: the body replaces the group, its member list included. */
  async replace(tenant: TenantId, id: string, body: unknown, ifMatch?: string): Promise<WrittenGroup> {
    const document = toGroupDocument(validateResource(withoutForeignSchemas(body, GROUP_SCHEMAS), GROUP_CONTEXT));
    const ids = document.memberIds ?? [];
    const changes: MemberChange[] = [ids.length === 0 ? { kind: 'removeAll' } : { kind: 'replace', ids }];
    return this.update(tenant, id, ifMatch, () => document, changes);
  }

  /** RFC 7644 §3.5.2: all operations or none; membership changes cost what they change. */
  async patch(tenant: TenantId, id: string, operations: readonly unknown[], ifMatch?: string): Promise<WrittenGroup> {
    const { memberChanges, documentOperations } = splitMemberOperations(parseOperations(operations), GROUP_SCHEMA);
    const produce =
      documentOperations.length === 0
        ? undefined
        : (current: ScimObject) => toGroupDocument(validateResource(applyPatch(current, documentOperations, GROUP_PATCH_CONTEXT), GROUP_CONTEXT));
    return this.update(tenant, id, ifMatch, produce, memberChanges);
  }

  /** RFC 7644 §3.6: the group and its memberships go; its members stay, without its role. */
  async delete(tenant: TenantId, id: string, ifMatch?: string): Promise<void> {
    const rules = await this.rulesFor(tenant);
    await this.inTransaction('', async (manager) => {
      const group = await this.groups.findForUpdate(tenant, id, manager);
      if (!group) throw ScimError.notFound('Group', id);
      assertIfMatch(ifMatch, group.version);
      const members = rules.uniqueKeys.has(group.roleKey) ? await this.groups.memberIds(tenant, id, manager) : [];
      await this.groups.delete(tenant, id, manager);
      await refreshUniqueRoleHoldings(manager, tenant, members, rules.uniqueKeys);
    });
  }

  private async update(
    tenant: TenantId,
    id: string,
    ifMatch: string | undefined,
    produce: ((current: ScimObject) => GroupDocument) | undefined,
    memberChanges: readonly MemberChange[],
  ): Promise<WrittenGroup> {
    const rules = await this.rulesFor(tenant);
    let displayName = '';
    return this.inTransaction(() => displayName, async (manager) => {
      const current = await this.groups.findForUpdate(tenant, id, manager);
      if (!current) throw ScimError.notFound('Group', id);
      assertIfMatch(ifMatch, current.version);
      displayName = current.displayName;
      const now = nowIso();
      const next = Object.assign(new GroupEntity(), current, { lastModified: now });
      if (produce !== undefined) {
        const document = produce({ ...current.data, id: current.id, meta: {} });
        displayName = document.displayName;
        next.displayName = document.displayName;
        next.displayNameKey = document.displayNameKey;
        const role = await this.roleFor(tenant, document, current.roleKey, rules, manager);
        next.roleKey = role.key;
        next.data = withRole(document.data, role.name);
      }
      if (!(await this.groups.updateIfVersion(tenant, id, current.version, this.groups.touch(next, now), manager))) {
        throw ScimError.preconditionFailed('The group changed while this request was applied; retry.');
      }
      if (produce !== undefined) await this.groups.writeIndex(tenant, id, next.data, manager);
      await this.membership.apply(tenant, next, memberChanges, current.roleKey, rules, manager);
      next.version = current.version + 1;
      return { group: next, version: next.version };
    });
  }

  /**
   * The catalog key of the role a group grants: the one it names, else the one it had, else the
   * role named like the group, created as a custom role when the catalog has none.
   */
  private async roleFor(tenant: TenantId, document: GroupDocument, current: string | undefined, rules: RoleRules, manager: EntityManager): Promise<GrantedRole> {
    if (document.roleName !== undefined) {
      const name = rules.canonicalNames([document.roleName])[0];
      return { key: caseFold(name), name };
    }
    if (current !== undefined) return { key: current, name: rules.nameOf(current) ?? current };
    const name = document.displayName.trim();
    const key = caseFold(name);
    if (rules.has(key)) return { key, name: rules.nameOf(key) ?? name };
    if (document.displayName.length > ROLE_NAME_MAX_LENGTH) {
      throw ScimError.invalidValue(`displayName is over ${ROLE_NAME_MAX_LENGTH} characters, too long for a role name; name the group's role in ${ACCESS_GROUP_SCHEMA}:role`);
    }
    // Another request may create the same role at the same moment: the unique index keeps one.
    await manager.getRepository(RoleEntity).createQueryBuilder().insert().values(newRole(tenant, name, null, false, nowIso())).orIgnore().execute();
    return { key, name };
  }

  private async membersOf(tenant: TenantId, groupId: string): Promise<MemberRow[]> {
    const members: MemberRow[] = [];
    for await (const page of this.groups.members(tenant, groupId)) members.push(...page);
    return members;
  }

  private async rulesFor(tenant: TenantId): Promise<RoleRules> {
    return this.roles.rulesFor(await this.tenants.require(tenant));
  }

  /** One transaction; unique and foreign-key violations become the SCIM errors they mean. */
  private async inTransaction<T>(displayName: string | (() => string), work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.transactions.run(work);
    } catch (error) {
      if (isUniqueViolationOn(error, 'unique_role_holders')) {
        throw ScimError.uniqueness("A unique role would be held by more than one active user through this group's members.");
      }
      if (isUniqueViolationOn(error, 'groups')) {
        const name = typeof displayName === 'string' ? displayName : displayName();
        throw ScimError.uniqueness(`displayName ${JSON.stringify(name)} is already taken by another group in this tenant.`);
      }
      if (isForeignKeyViolation(error)) throw ScimError.invalidValue("A member or the group's role was just removed.");
      throw error;
    }
  }
}

interface GrantedRole {
  readonly key: string;
  readonly name: string;
}

/** The stored document names the granted role in the catalog's spelling, so reads show it. */
function withRole(data: ScimObject, roleName: string): ScimObject {
  const access = getMember(data, ACCESS_GROUP_SCHEMA);
  const extension: ScimObject = isRecord(access) ? { ...access } : {};
  setMember(extension, 'role', roleName);
  const result: ScimObject = { ...data };
  setMember(result, ACCESS_GROUP_SCHEMA, extension);
  const schemas = Array.isArray(data.schemas) ? (data.schemas as string[]) : [GROUP_SCHEMA];
  if (!schemas.some((urn) => urn.toLowerCase() === ACCESS_GROUP_SCHEMA.toLowerCase())) setMember(result, 'schemas', [...schemas, ACCESS_GROUP_SCHEMA]);
  return result;
}
