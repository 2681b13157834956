import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { GroupEntity } from '../src/database/entities/group.entity.js';
import { RoleEntity } from '../src/database/entities/role.entity.js';
import { insertIndexedValues } from '../src/database/query/indexed-values-store.js';
import { runSql } from '../src/database/run-sql.js';
import { toGroupDocument } from '../src/modules/groups/group-document.js';
import { GROUPS } from '../src/modules/groups/group.definition.js';
import { newRole } from '../src/modules/roles/system-roles.js';
import { asTenantId } from '../src/domain/tenant-id.js';
import { indexedValuesOf } from '../src/scim/query/indexed-values.js';
import { ACCESS_GROUP_SCHEMA, GROUP_SCHEMA } from '../src/scim/schemas/index.js';
import { validateResource } from '../src/scim/validation/validate-resource.js';

/** A seeded group; its members are the first `memberCount` users in list order (by id, as the database collates it). */
export interface SeededGroup {
  readonly id: string;
  readonly displayName: string;
  readonly memberCount: number;
}

/** Issue 6's groups: membership changes and member-less reads on a small and a large group, and a GET of the whole tenant. */
export interface SeededGroups {
  readonly small: SeededGroup;
  readonly large: SeededGroup;
  readonly all: SeededGroup;
}

export const SMALL_GROUP_MEMBERS = 10;
/** The large group of the issue; a smaller tenant puts every user in it. */
export const LARGE_GROUP_MEMBERS = 50_000;

/**
 * Three groups, each granting a custom role of its own (as POST /Groups creates one for a group that
 * names none), with their filter index rows, written as the service writes them. Memberships go in
 * with one INSERT … SELECT per group, in id order, so the primary key B-tree is appended to.
 */
export async function seedGroups(manager: EntityManager, tenantId: string, userCount: number): Promise<SeededGroups> {
  const small = await insertGroup(manager, tenantId, 'Bench small', Math.min(SMALL_GROUP_MEMBERS, userCount));
  const large = await insertGroup(manager, tenantId, 'Bench large', Math.min(LARGE_GROUP_MEMBERS, userCount));
  const all = await insertGroup(manager, tenantId, 'Bench all', userCount);
  return { small, large, all };
}

async function insertGroup(manager: EntityManager, tenantId: string, displayName: string, memberCount: number): Promise<SeededGroup> {
  const now = new Date().toISOString();
  const role = newRole(asTenantId(tenantId), displayName, null, false, now);
  await manager.insert(RoleEntity, role);
  const body = { schemas: [GROUP_SCHEMA, ACCESS_GROUP_SCHEMA], displayName, [ACCESS_GROUP_SCHEMA]: { role: role.name } };
  const document = toGroupDocument(validateResource(body, GROUPS.type.context));
  const group = Object.assign(new GroupEntity(), {
    id: randomUUID(),
    tenantId,
    displayName: document.displayName,
    displayNameKey: document.displayNameKey,
    roleKey: role.nameKey,
    data: document.data,
    version: 1,
    createdAt: now,
    lastModified: now,
  });
  // As in GroupsRepository: TypeORM's deep-partial type cannot see through the simple-json `data`.
  await manager.insert(GroupEntity, group as QueryDeepPartialEntity<GroupEntity>);
  await insertIndexedValues(manager, GROUPS.table.valuesTable, asTenantId(tenantId), [{ resourceId: group.id, rows: indexedValuesOf({ ...group.data, id: group.id }, GROUPS.type.context) }]);
  await runSql(
    manager,
    `INSERT INTO group_members (tenant_id, group_id, member_id)
     SELECT u.tenant_id, :groupId, u.id FROM users u WHERE u.tenant_id = :tenantId AND u.deleted_at IS NULL ORDER BY u.id LIMIT ${memberCount}`,
    { groupId: group.id, tenantId },
  );
  return { id: group.id, displayName, memberCount };
}
