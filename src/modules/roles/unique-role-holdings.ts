import { In, IsNull, type EntityManager } from 'typeorm';
import { UserEntity } from '../../database/entities/user.entity.js';
import { inList, runSql } from '../../database/run-sql.js';

const CHUNK = 500;

/**
 * Rewrites who holds the tenant's unique roles among `userIds`, inside the caller's transaction.
 * A user holds a role directly (`user_roles`) or through a group that grants it; only active,
 * live users hold unique roles. Each unique role has one row in `unique_role_holders`, whose
 * primary key (tenant, role) makes a second holder fail — the caller turns that into 409.
 */
export async function refreshUniqueRoleHoldings(
  manager: EntityManager,
  tenant: string,
  userIds: readonly string[],
  uniqueKeys: ReadonlySet<string>,
): Promise<void> {
  if (uniqueKeys.size === 0) return;
  for (let start = 0; start < userIds.length; start += CHUNK) {
    const chunk = userIds.slice(start, start + CHUNK);
    const params: Record<string, unknown> = { tenant };
    const ids = inList('u', chunk, params);
    // Through the entity, so TypeORM writes the boolean the way each engine stores it.
    const active = await manager
      .getRepository(UserEntity)
      .find({ select: { id: true }, where: { tenantId: tenant, id: In(chunk), active: true, deletedAt: IsNull() } });
    const held = await runSql<{ user_id: string; role_key: string }>(
      manager,
      `SELECT user_id, role_key FROM user_roles WHERE tenant_id = :tenant AND user_id IN (${ids})
       UNION
       SELECT m.member_id AS user_id, g.role_key FROM group_members m JOIN groups g ON g.id = m.group_id
       WHERE m.tenant_id = :tenant AND m.member_id IN (${ids})`,
      params,
    );
    await runSql(manager, `DELETE FROM unique_role_holders WHERE tenant_id = :tenant AND user_id IN (${ids})`, params);
    const activeIds = new Set(active.map((row) => row.id));
    const rows = held.filter((row) => activeIds.has(row.user_id) && uniqueKeys.has(row.role_key));
    if (rows.length > 0) {
      await manager
        .createQueryBuilder()
        .insert()
        .into('unique_role_holders', ['tenant_id', 'role_key', 'user_id'])
        .values(rows.map((row) => ({ tenant_id: tenant, role_key: row.role_key, user_id: row.user_id })))
        .execute();
    }
  }
}
