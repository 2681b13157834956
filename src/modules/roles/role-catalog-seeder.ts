import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IsoTimestamp } from '../../database/timestamps.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { RolesRepository } from './roles.repository.js';
import { systemRolesOf } from './system-roles.js';

/**
 * Seeds a new tenant's role catalog with the system roles, inside the tenant's own creation. On
 * its own (not in RolesService) because the tenants module needs it and RolesService needs the
 * tenants module.
 */
@Injectable()
export class RoleCatalogSeeder {
  constructor(private readonly roles: RolesRepository) {}

  async seed(tenant: TenantId, now: IsoTimestamp, manager: EntityManager): Promise<void> {
    await this.roles.insert(systemRolesOf(tenant, now), manager);
  }
}
