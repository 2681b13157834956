import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SCIM_BASE_URL } from '../../config/injection-tokens.js';
import { GroupEntity } from '../../database/entities/group.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { isForeignKeyViolation, isUniqueViolationOn } from '../../database/unique-violation.js';
import { sameIdSets } from '../../domain/id-sets.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import type { ListResponse } from '../../scim/list-response.js';
import { applyPatch, parseOperations } from '../../scim/patch/apply-patch.js';
import { type MemberChange, splitMemberOperations } from '../../scim/patch/member-operations.js';
import { getMember, isRecord, type ScimObject, setMember } from '../../scim/patch/scim-json.js';
import { isProjected, parseProjection, type ProjectionParams } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { ResourceAnswer } from '../../scim/resource-answer.js';
import { ACCESS_GROUP_SCHEMA, GROUP_SCHEMA } from '../../scim/schemas/index.js';
import { validateResource } from '../../scim/validation/validate-resource.js';
import { EffectiveAccessService } from '../access/effective-access.service.js';
import { LibraryGrantsService } from '../libraries/library-grants.service.js';
import { libraryRefsLoader, takeLibraryRefs, withLibraryRefs } from '../libraries/library-refs.js';
import type { ChangeFact } from '../resources/resource-changes.js';
import type { AttributeLoader } from '../resources/resource-definition.js';
import { ResourceReader } from '../resources/resource-reader.js';
import { ResourceRegistry } from '../resources/resource-registry.js';
import { type ErrorExplainer, ResourceWriter } from '../resources/resource-writer.js';
import type { RoleRules } from '../roles/role-rules.js';
import { RolesService } from '../roles/roles.service.js';
import { type GroupDocument, toGroupDocument, withoutForeignSchemas } from './group-document.js';
import { GroupMembersLoader } from './group-members.loader.js';
import { GroupMembershipService } from './group-membership.service.js';
import { GROUPS } from './group.definition.js';
import { GroupsRepository } from './groups.repository.js';

// Role names in the catalog are at most 100 characters (roles.name).
const ROLE_NAME_MAX_LENGTH = 100;

/**
 * Groups as roles (DESIGN.md): what is special about a Group on the shared pipeline — members
 * changed as set operations in SQL, displayName unique per tenant (by the database), the role a
 * group grants, and unique roles held across direct and group grants.
 */
@Injectable()
export class GroupsService {
  private readonly loaders: readonly AttributeLoader[];

  constructor(
    private readonly groups: GroupsRepository,
    private readonly membership: GroupMembershipService,
    private readonly roles: RolesService,
    private readonly reader: ResourceReader,
    private readonly writer: ResourceWriter,
    private readonly registry: ResourceRegistry,
    private readonly libraries: LibraryGrantsService,
    private readonly effectiveAccess: EffectiveAccessService,
    members: GroupMembersLoader,
    @Inject(SCIM_BASE_URL) scimBaseUrl: string,
  ) {
    this.loaders = [members, libraryRefsLoader(`${ACCESS_GROUP_SCHEMA}:libraries`, scimBaseUrl, (tenant, ids) => libraries.grantsOf('group', tenant, ids), libraries.grantsInline('group'))];
    // Before routes are registered: the direct reads (src/http/direct-routes.ts) ask the registry then.
    this.registry.register(GROUPS, (tenant, request) => this.list(tenant, request), this);
  }


  get(tenant: TenantId, id: string, params: ProjectionParams, ifNoneMatch?: string): Promise<ResourceAnswer> {
    return this.reader.get(GROUPS, this.loaders, tenant, id, params, ifNoneMatch);
  }

  list(tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    return this.reader.list(GROUPS, this.loaders, tenant, request);
  }

  /** RFC 7644 §3.3. */
  async create(tenant: TenantId, body: unknown, params: ProjectionParams): Promise<ResourceAnswer> {
    const projection = parseProjection(params, GROUPS.type.context);
    const document = this.documentOf(body);
    const rules = await this.rulesFor(tenant);
    const group = await this.writer.create(
      GROUPS,
      tenant,
      async (manager) => {
        const role = await this.roleFor(tenant, document, undefined, rules, manager);
        const now = nowIso();
        const row = Object.assign(new GroupEntity(), {
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
        await this.groups.insert(row, manager);
        const libraryIds = await this.libraries.resolve(tenant, document.libraryRefs, manager);
        const changes: MemberChange[] = document.memberIds === undefined ? [] : [{ kind: 'add', ids: document.memberIds }];
        return {
          row,
          after: async (tx) => {
            const effect = await this.membershipEffect(tenant, row.id, changes, false, tx);
            await this.membership.apply(tenant, row, changes, undefined, rules, tx);
            await this.libraries.grantToNew('group', tenant, row.id, libraryIds, tx);
            return { facts: await effect.facts(tx) };
          },
        };
      },
      explainGroupWrite(() => document.displayName),
    );
    const resource = await this.reader.render(GROUPS, this.loaders, tenant, group, projection);
    return ResourceAnswer.created(group.version, resource, this.reader.locationOf(GROUPS, group.id));
  }

  /** RFC 7644 §3.5.1: the body replaces the group, its member list included. */
  async replace(tenant: TenantId, id: string, body: unknown, params: ProjectionParams, ifMatch?: string): Promise<ResourceAnswer> {
    const projection = parseProjection(params, GROUPS.type.context);
    const document = this.documentOf(body);
    const ids = document.memberIds ?? [];
    const changes: MemberChange[] = [ids.length === 0 ? { kind: 'removeAll' } : { kind: 'replace', ids }];
    const group = await this.update(tenant, id, ifMatch, () => document, changes);
    return ResourceAnswer.ok(group.version, await this.reader.render(GROUPS, this.loaders, tenant, group, projection));
  }

  /**
   * RFC 7644 §3.5.2: all operations or none; membership changes cost what they change. The answer
   * is 204 (§3.5.2 allows it): the group would carry every member, making one added member cost
   * the whole group. With `attributes` or `excludedAttributes` the client asks for the resource.
   */
  async patch(tenant: TenantId, id: string, operations: readonly unknown[], params: ProjectionParams, ifMatch?: string): Promise<ResourceAnswer> {
    const projection = parseProjection(params, GROUPS.type.context);
    const { memberChanges, documentOperations } = splitMemberOperations(parseOperations(operations), GROUP_SCHEMA);
    const produce =
      documentOperations.length === 0
        ? undefined
        : (current: ScimObject) => groupDocumentOf(validateResource(applyPatch(current, documentOperations, GROUPS.type.patchContext), GROUPS.type.context));
    const group = await this.update(tenant, id, ifMatch, produce, memberChanges);
    if (!isProjected(projection)) return ResourceAnswer.noContent(group.version);
    return ResourceAnswer.ok(group.version, await this.reader.render(GROUPS, this.loaders, tenant, group, projection));
  }

  /** RFC 7644 §3.6: the group and its memberships go; its members stay, without its role. */
  async delete(tenant: TenantId, id: string, ifMatch?: string): Promise<void> {
    const rules = await this.rulesFor(tenant);
    await this.writer.delete(
      GROUPS,
      tenant,
      id,
      ifMatch,
      async (group, manager) => {
        const holders = await this.membership.holdersAffectedBy(tenant, group, rules, manager);
        const members = await this.membership.memberIdsOf(tenant, id, manager);
        const accessBefore = await this.effectiveAccess.of(tenant, members, manager);
        await this.groups.delete(tenant, id, manager);
        await this.roles.refreshUniqueHolders(tenant, holders, rules, manager);
        return { facts: this.effectiveAccess.changes(accessBefore, await this.effectiveAccess.of(tenant, members, manager)) };
      },
      explainGroupWrite(() => ''),
    );
  }

  private async update(
    tenant: TenantId,
    id: string,
    ifMatch: string | undefined,
    produce: ((current: ScimObject) => PreparedGroup) | undefined,
    memberChanges: readonly MemberChange[],
  ): Promise<GroupEntity> {
    const rules = await this.rulesFor(tenant);
    let displayName = '';
    return this.writer.update(
      GROUPS,
      tenant,
      id,
      ifMatch,
      async (current, manager) => {
        displayName = current.displayName;
        const lastModified = nowIso();
        let columns: Partial<GroupEntity> & Pick<GroupEntity, 'lastModified'> = { lastModified };
        let libraryIds: readonly string[] | undefined;
        let grantsEveryMember = false;
        let grantsChanged = false;
        if (produce !== undefined) {
          const grants = (await this.libraries.grantsOf('group', tenant, [id], manager)).get(id) ?? [];
          const document = produce(withLibraryRefs({ ...current.data, id: current.id, meta: {} }, ACCESS_GROUP_SCHEMA, grants));
          displayName = document.displayName;
          const role = await this.roleFor(tenant, document, current.roleKey, rules, manager);
          columns = { ...columns, displayName, displayNameKey: document.displayNameKey, roleKey: role.key, data: withRole(document.data, role.name) };
          libraryIds = await this.libraries.resolve(tenant, document.libraryRefs, manager);
          // Another role or other libraries change what every member holds.
          grantsChanged = !sameIdSets(libraryIds, grants.map((grant) => grant.id));
          grantsEveryMember = role.key !== current.roleKey || grantsChanged;
        }
        const next = Object.assign(new GroupEntity(), current, columns);
        const effect = await this.membershipEffect(tenant, id, memberChanges, grantsEveryMember, manager);
        return {
          columns,
          after: async (tx) => {
            await this.membership.apply(tenant, next, memberChanges, current.roleKey, rules, tx);
            if (libraryIds !== undefined && grantsChanged) await this.libraries.replaceGrants('group', tenant, id, libraryIds, tx);
            return { facts: await effect.facts(tx), ...(grantsChanged ? { changedBesides: [`${ACCESS_GROUP_SCHEMA}:libraries`] } : {}) };
          },
        };
      },
      explainGroupWrite(() => displayName),
    );
  }

  /**
   * What a membership change does, for its events: taken before the change (who is a member,
   * what access the users concerned have), completed after it — `group.members_added` and
   * `group.members_removed` with the ids that really came or went, and `user.access_changed`
   * for each user whose access differs.
   */
  private async membershipEffect(tenant: TenantId, groupId: string, changes: readonly MemberChange[], everyMember: boolean, manager: EntityManager) {
    const candidates = await this.membership.candidatesOf(tenant, groupId, changes, manager);
    const everyone = everyMember ? await this.membership.memberIdsOf(tenant, groupId, manager) : [];
    const concerned = [...new Set([...candidates, ...everyone])];
    const membersBefore = await this.membership.membersAmong(tenant, groupId, candidates, manager);
    const accessBefore = await this.effectiveAccess.of(tenant, concerned, manager);
    return {
      facts: async (tx: EntityManager): Promise<ChangeFact[]> => {
        const membersAfter = await this.membership.membersAmong(tenant, groupId, candidates, tx);
        const added = candidates.filter((id) => membersAfter.has(id) && !membersBefore.has(id)).sort();
        const removed = candidates.filter((id) => membersBefore.has(id) && !membersAfter.has(id)).sort();
        return [
          ...(added.length === 0 ? [] : [{ type: 'group.members_added', data: { members: added } }]),
          ...(removed.length === 0 ? [] : [{ type: 'group.members_removed', data: { members: removed } }]),
          ...this.effectiveAccess.changes(accessBefore, await this.effectiveAccess.of(tenant, concerned, tx)),
        ];
      },
    };
  }

  private documentOf(body: unknown): PreparedGroup {
    return groupDocumentOf(validateResource(withoutForeignSchemas(body, GROUPS.type.schemaUrns), GROUPS.type.context));
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
    await this.roles.addIfAbsent(tenant, name, manager);
    return { key, name };
  }

  private async rulesFor(tenant: TenantId): Promise<RoleRules> {
    return (await this.roles.writeRulesFor(tenant)).roles;
  }
}


type PreparedGroup = GroupDocument & { readonly libraryRefs: readonly string[] };

/** The stored document (library grants taken out: they are rows) and what the rules check. */
function groupDocumentOf(validated: ScimObject): PreparedGroup {
  const { data, refs } = takeLibraryRefs(validated, ACCESS_GROUP_SCHEMA);
  return { ...toGroupDocument(data), libraryRefs: refs };
}

interface GrantedRole {
  readonly key: string;
  readonly name: string;
}

/** Unique and foreign-key violations of a group write, as the SCIM errors they mean. */
function explainGroupWrite(displayName: () => string): ErrorExplainer {
  return (error) => {
    if (isUniqueViolationOn(error, 'unique_role_holders')) {
      return ScimError.uniqueness("A unique role would be held by more than one active user through this group's members.");
    }
    if (isUniqueViolationOn(error, 'groups')) {
      return ScimError.uniqueness(`displayName ${JSON.stringify(displayName())} is already taken by another group in this tenant.`);
    }
    if (isForeignKeyViolation(error)) return ScimError.invalidValue("A member or the group's role was just removed.");
    return undefined;
  };
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
