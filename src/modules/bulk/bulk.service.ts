import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ROSTER_OPTIONS, SCIM_BASE_URL } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { pathId } from '../../scim/bulk/bulk-references.js';
import { readBulkRequest, type BulkOperation } from '../../scim/bulk/bulk-request.js';
import { type BulkOutcome, type BulkResponse, runBulk } from '../../scim/bulk/run-bulk.js';
import { ScimError } from '../../scim/errors.js';
import { etagOf } from '../../scim/etag.js';
import { readPatchRequest } from '../../scim/patch/patch-request.js';
import type { ResourceAnswer } from '../../scim/resource-answer.js';
import { isDependencyUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../database/unavailable.js';
import { DiscoveryRegistry } from '../discovery/discovery.registry.js';
import { RosterMetrics } from '../metrics/roster-metrics.js';
import { outcomeOf, type ScimOperation } from '../metrics/scim-operation.js';
import { type RegisteredResource, ResourceRegistry, type ResourceWrites } from '../resources/resource-registry.js';

const BULK_OPERATIONS: Readonly<Record<BulkOperation['method'], ScimOperation['operation']>> = {
  POST: 'create',
  PUT: 'replace',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * RFC 7644 §3.7 `/Bulk`: each operation runs through the service of its resource type, exactly
 * as its own endpoint would run it (validation, uniqueness, soft delete and restore, membership
 * rules, its own transaction), so a bulk operation can do nothing a single request cannot.
 */
@Injectable()
export class BulkService implements OnModuleInit {
  private readonly logger = new Logger('Bulk');

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly discovery: DiscoveryRegistry,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
    private readonly metrics: RosterMetrics,
  ) {}

  onModuleInit(): void {
    // maxPayloadSize is the body limit: a larger request is refused (413) before anything reads it.
    this.discovery.enableFeatures({ bulk: { maxOperations: this.options.bulkMaxOperations, maxPayloadSize: this.options.bodyLimitBytes } });
  }

  run(tenant: TenantId, body: unknown): Promise<BulkResponse> {
    return runBulk(readBulkRequest(body, this.options.bulkMaxOperations), (operation) => this.execute(tenant, operation));
  }

  private async execute(tenant: TenantId, operation: BulkOperation): Promise<BulkOutcome> {
    let resourceType: string | undefined;
    const outcome = await this.outcomeOf(tenant, operation, (name) => (resourceType = name));
    // Each operation counts like its own endpoint's request would; one naming no type is only the bulk's.
    if (resourceType !== undefined) {
      this.metrics.countScimOperation({ resourceType, operation: BULK_OPERATIONS[operation.method], outcome: outcomeOf(outcome.status) });
    }
    return outcome;
  }

  private async outcomeOf(tenant: TenantId, operation: BulkOperation, named: (resourceType: string) => void): Promise<BulkOutcome> {
    let location: string | undefined;
    try {
      const { resource, id } = this.targetOf(operation.path);
      named(resource.definition.type.discovery.name);
      const endpoint = `${this.scimBaseUrl}${resource.definition.type.discovery.endpoint}`;
      if (id !== undefined) location = `${endpoint}/${id}`;
      if (resource.writes === undefined) throw ScimError.methodNotAllowed(operation.method, ['GET', 'HEAD']);
      const answer = await this.apply(resource.writes, tenant, operation, id);
      if (answer === undefined) return { status: 204, ...(location === undefined ? {} : { location }) };
      const createdId = id === undefined ? idOf(answer) : undefined;
      return {
        status: answer.status,
        location: answer.location ?? location ?? `${endpoint}/${createdId}`,
        version: etagOf(answer.version),
        ...(createdId === undefined ? {} : { createdId }),
      };
    } catch (error) {
      const scimError = error instanceof ScimError ? error : isDependencyUnavailable(error) ? ScimError.unavailable(UNAVAILABLE_RETRY_AFTER_SECONDS) : this.internal(error);
      return { status: scimError.status, ...(location === undefined ? {} : { location }), error: scimError.toBody() };
    }
  }

  private apply(writes: ResourceWrites, tenant: TenantId, operation: BulkOperation, id: string | undefined): Promise<ResourceAnswer | undefined> {
    if (operation.method === 'POST') {
      if (id !== undefined) throw ScimError.invalidPath(`POST goes to the resource type's endpoint, not to "${operation.path}".`);
      return writes.create(tenant, operation.data, {});
    }
    if (id === undefined) throw ScimError.invalidPath(`${operation.method} needs a resource id in the path, e.g. "${operation.path}/{id}".`);
    switch (operation.method) {
      case 'PUT':
        return writes.replace(tenant, id, operation.data, {}, operation.version);
      case 'PATCH':
        return writes.patch(tenant, id, readPatchRequest(operation.data), {}, operation.version);
      case 'DELETE':
        return writes.delete(tenant, id, operation.version).then(() => undefined);
    }
  }

  /** The resource type a path names (`/Users`, `/Groups/{id}`); any other path is this operation's 404. */
  private targetOf(path: string): { readonly resource: RegisteredResource; readonly id?: string } {
    const parts = path.split('/');
    const endpoint = `/${parts[1] ?? ''}`.toLowerCase();
    const resource = this.registry.list().find((registered) => registered.definition.type.discovery.endpoint.toLowerCase() === endpoint);
    if (resource === undefined || parts[0] !== '' || parts.length > 3) throw ScimError.routeNotFound(path);
    const id = pathId(path);
    return { resource, ...(id === undefined ? {} : { id }) };
  }

  /** An unexpected failure of one operation: bland to the client, with its cause in the log under an id. */
  private internal(error: unknown): ScimError {
    const id = randomUUID();
    this.logger.error(`bulk operation failed (${id}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return ScimError.internal(id);
  }
}

function idOf(answer: ResourceAnswer): string | undefined {
  const body = answer.body;
  return body !== undefined && !('pipe' in body) && typeof body.id === 'string' ? body.id : undefined;
}
