import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { GroupEntity } from '../../database/entities/group.entity.js';
import { RoleEntity } from '../../database/entities/role.entity.js';
import { UserRoleEntity } from '../../database/entities/user-role.entity.js';
import type { TenantId } from '../../domain/tenant-id.js';

@Injectable()
export class RolesRepository {
  constructor(@InjectRepository(RoleEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<RoleEntity>) {}

  async insert(roles: RoleEntity[], manager?: EntityManager): Promise<void> {
    await (manager ? manager.getRepository(RoleEntity) : this.rows).insert(roles);
  }

  list(tenant: TenantId): Promise<RoleEntity[]> {
    return this.rows.find({ where: { tenantId: tenant }, order: { isSystem: 'DESC', nameKey: 'ASC' } });
  }

  findById(tenant: TenantId, id: string): Promise<RoleEntity | null> {
    return this.rows.findOneBy({ tenantId: tenant, id });
  }

  async save(role: RoleEntity): Promise<void> {
    await this.rows.save(role);
  }

  /** How many live users hold the role directly, and how many groups grant it. */
  async countHolders(tenant: TenantId, roleKey: string): Promise<{ users: number; groups: number }> {
    return {
      users: await this.rows.manager.getRepository(UserRoleEntity).countBy({ tenantId: tenant, roleKey }),
      groups: await this.rows.manager.getRepository(GroupEntity).countBy({ tenantId: tenant, roleKey }),
    };
  }

  async delete(tenant: TenantId, id: string): Promise<void> {
    await this.rows.delete({ tenantId: tenant, id });
  }
}
