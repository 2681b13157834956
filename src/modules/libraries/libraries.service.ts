import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LibraryEntity } from '../../database/entities/library.entity.js';
import { nowIso } from '../../database/timestamps.js';
import { isUniqueViolationOn } from '../../database/unique-violation.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import type { ListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ProjectionParams } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import type { ResourceAnswer } from '../../scim/resource-answer.js';
import { LIBRARY_SCHEMA } from '../../scim/schemas/index.js';
import { validateResource } from '../../scim/validation/validate-resource.js';
import { EffectiveAccessService } from '../access/effective-access.service.js';
import { ResourceReader } from '../resources/resource-reader.js';
import { ResourceRegistry } from '../resources/resource-registry.js';
import { type ErrorExplainer, ResourceWriter } from '../resources/resource-writer.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { LibrariesRepository } from './libraries.repository.js';
import { LibraryGrantsRepository } from './library-grants.repository.js';
import { LIBRARIES } from './library.definition.js';

/** What the admin API shows of a library. */
export interface LibraryView {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly externalId: string | null;
  readonly createdAt: string;
  readonly lastModified: string;
}

export interface LibraryInput {
  readonly displayName?: string;
  readonly description?: string | null;
  readonly externalId?: string | null;
}

// Longest folded displayName key, as for groups (NFKC can lengthen a name).
const DISPLAY_NAME_KEY_MAX_LENGTH = 512;

/**
 * Libraries (DESIGN.md): read through SCIM on the shared read path, written through the admin
 * API on the shared write skeleton; displayName unique per tenant (by the database), and a
 * deleted library's grants go with it.
 */
@Injectable()
export class LibrariesService {
  constructor(
    private readonly libraries: LibrariesRepository,
    private readonly grants: LibraryGrantsRepository,
    private readonly tenants: TenantsService,
    private readonly reader: ResourceReader,
    private readonly writer: ResourceWriter,
    private readonly registry: ResourceRegistry,
    private readonly effectiveAccess: EffectiveAccessService,
  ) {
    // Before routes are registered: the direct reads (src/http/direct-routes.ts) ask the registry then.
    this.registry.register(LIBRARIES, (tenant, request) => this.list(tenant, request), undefined, (tenant, id, params, ifNoneMatch) => this.get(tenant, id, params, ifNoneMatch));
  }


  get(tenant: TenantId, id: string, params: ProjectionParams, ifNoneMatch?: string): Promise<ResourceAnswer> {
    return this.reader.get(LIBRARIES, [], tenant, id, params, ifNoneMatch);
  }

  list(tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    return this.reader.list(LIBRARIES, [], tenant, request);
  }

  async listViews(tenant: TenantId): Promise<LibraryView[]> {
    await this.tenants.require(tenant);
    return (await this.libraries.list(tenant)).map(toView);
  }

  async view(tenant: TenantId, id: string): Promise<LibraryView> {
    const library = await this.libraries.findById(tenant, id);
    if (library === null) throw ScimError.notFound('Library', id);
    return toView(library);
  }

  async create(tenant: TenantId, input: LibraryInput): Promise<LibraryView> {
    await this.tenants.require(tenant);
    const document = libraryDocument(input);
    const library = await this.writer.create(
      LIBRARIES,
      tenant,
      async (manager) => {
        const now = nowIso();
        const row = Object.assign(new LibraryEntity(), { id: randomUUID(), tenantId: tenant, ...document, version: 1, createdAt: now, lastModified: now });
        await this.libraries.insert(row, manager);
        return { row };
      },
      explainLibraryWrite(document.displayName),
    );
    return toView(library);
  }

  /** Changes the fields given; null clears description or externalId. */
  async update(tenant: TenantId, id: string, input: LibraryInput): Promise<LibraryView> {
    let displayName = input.displayName ?? '';
    const library = await this.writer.update(
      LIBRARIES,
      tenant,
      id,
      undefined,
      async (current) => {
        // A DTO carries the fields it was not sent as undefined: those keep their value.
        const sent = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
        const document = libraryDocument({ ...viewFields(current), ...sent });
        displayName = document.displayName;
        return { columns: { ...document, lastModified: nowIso() } };
      },
      explainLibraryWrite(() => displayName),
    );
    return toView(library);
  }

  /** The library and every grant of it go, in one transaction; its former holders are recorded with the change. */
  async delete(tenant: TenantId, id: string): Promise<void> {
    await this.writer.delete(LIBRARIES, tenant, id, undefined, async (_library, manager) => {
      const holders = await this.grants.effectiveHolders(tenant, id, manager);
      const accessBefore = await this.effectiveAccess.of(tenant, holders, manager);
      await this.libraries.delete(tenant, id, manager);
      return { accessChangedFor: holders, facts: this.effectiveAccess.changes(accessBefore, await this.effectiveAccess.of(tenant, holders, manager)) };
    });
  }
}

/** The stored columns of a library, its SCIM document checked against the Library schema. */
function libraryDocument(input: LibraryInput): Pick<LibraryEntity, 'displayName' | 'displayNameKey' | 'data'> {
  const body: ScimObject = { schemas: [LIBRARY_SCHEMA], displayName: input.displayName };
  if (input.description !== undefined && input.description !== null) body.description = input.description;
  if (input.externalId !== undefined && input.externalId !== null) body.externalId = input.externalId;
  const { id: _id, meta: _meta, ...data } = validateResource(body, LIBRARIES.type.context);
  const displayName = data.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') throw ScimError.invalidValue('displayName is required.');
  const displayNameKey = caseFold(displayName);
  if (displayNameKey.length > DISPLAY_NAME_KEY_MAX_LENGTH) throw ScimError.invalidValue('displayName is too long once normalised for comparison.');
  return { displayName, displayNameKey, data };
}

function viewFields(library: LibraryEntity): LibraryInput {
  return {
    displayName: library.displayName,
    description: typeof library.data.description === 'string' ? library.data.description : null,
    externalId: typeof library.data.externalId === 'string' ? library.data.externalId : null,
  };
}

function toView(library: LibraryEntity): LibraryView {
  const fields = viewFields(library);
  return {
    id: library.id,
    displayName: library.displayName,
    description: fields.description ?? null,
    externalId: fields.externalId ?? null,
    createdAt: library.createdAt,
    lastModified: library.lastModified,
  };
}

function explainLibraryWrite(displayName: string | (() => string)): ErrorExplainer {
  return (error) => {
    if (!isUniqueViolationOn(error, 'libraries')) return undefined;
    const name = typeof displayName === 'string' ? displayName : displayName();
    return ScimError.uniqueness(`displayName ${JSON.stringify(name)} is already taken by another library in this tenant.`);
  };
}
