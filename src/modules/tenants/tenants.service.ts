import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { RoleCatalogSeeder } from '../roles/role-catalog-seeder.js';
import { ScimError } from '../../scim/errors.js';
import { TenantEntity } from '../../database/entities/tenant.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { isUniqueViolation } from '../../database/unique-violation.js';
import { asTenantId, type TenantId } from '../../domain/tenant-id.js';
import { DEFAULT_TENANT_SETTINGS, mergeTenantSettings, type TenantSettings } from '../../domain/tenant-settings.js';
import { TenantsRepository } from './tenants.repository.js';

export interface CreateTenantInput {
  readonly name: string;
  readonly slug?: string;
  readonly settings?: Partial<TenantSettings>;
}

export interface TenantView {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly settings: TenantSettings;
  readonly createdAt: string;
}

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly roleCatalog: RoleCatalogSeeder,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(input: CreateTenantInput): Promise<TenantView> {
    const slug = input.slug ?? slugify(input.name);
    if (!SLUG_PATTERN.test(slug)) {
      throw ScimError.invalidValue(`slug ${JSON.stringify(slug)} must be 1-63 lower-case letters, digits or inner hyphens`);
    }
    const now = nowIso();
    const tenant = Object.assign(new TenantEntity(), {
      id: randomUUID(),
      slug,
      name: input.name,
      settings: mergeTenantSettings(DEFAULT_TENANT_SETTINGS, input.settings),
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.transactions.run(async (manager) => {
        await this.tenants.insert(tenant, manager);
        await this.roleCatalog.seed(asTenantId(tenant.id), now, manager);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ScimError.uniqueness(`slug ${JSON.stringify(slug)} is taken`);
      throw error;
    }
    return toTenantView(tenant);
  }

  async list(): Promise<TenantView[]> {
    return (await this.tenants.list()).map(toTenantView);
  }

  async get(id: string): Promise<TenantView> {
    return toTenantView(await this.require(asTenantId(id)));
  }

  async updateSettings(id: string, settings: Partial<TenantSettings>): Promise<TenantView> {
    const tenant = await this.require(asTenantId(id));
    tenant.settings = mergeTenantSettings(tenant.settings, settings);
    tenant.updatedAt = nowIso();
    await this.tenants.save(tenant);
    return toTenantView(tenant);
  }

  /** For operators: a tenant named by its id or its slug. */
  async resolve(idOrSlug: string): Promise<TenantView> {
    const tenant = (await this.tenants.findById(asTenantId(idOrSlug))) ?? (await this.tenants.findBySlug(idOrSlug));
    if (!tenant) throw ScimError.notFound('Tenant', idOrSlug);
    return toTenantView(tenant);
  }

  /** The tenant, or a 404 for ids that do not exist (whatever their shape). */
  async require(id: TenantId): Promise<TenantEntity> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw ScimError.notFound('Tenant', id);
    return tenant;
  }
}

function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function toTenantView(tenant: TenantEntity): TenantView {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, settings: tenant.settings, createdAt: tenant.createdAt };
}
