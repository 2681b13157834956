import { randomUUID } from 'node:crypto';
import { RoleEntity } from '../../database/entities/role.entity.js';
import type { IsoTimestamp } from '../../database/timestamps.js';
import { caseFold } from '../../scim/case-fold.js';
import type { TenantId } from '../../domain/tenant-id.js';

/** Seeded into every tenant's catalog at creation (DESIGN.md "Role catalog"); they cannot be deleted. */
export const SYSTEM_ROLES = ['owner', 'admin', 'writer', 'guest', 'client'] as const;

export function newRole(tenant: TenantId, name: string, description: string | null, isSystem: boolean, now: IsoTimestamp): RoleEntity {
  return Object.assign(new RoleEntity(), {
    id: randomUUID(),
    tenantId: tenant,
    name,
    nameKey: caseFold(name),
    description,
    isSystem,
    createdAt: now,
  });
}

export function systemRolesOf(tenant: TenantId, now: IsoTimestamp): RoleEntity[] {
  return SYSTEM_ROLES.map((name) => newRole(tenant, name, null, true, now));
}
