import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE, SCIM_BASE_URL } from '../../config/injection-tokens.js';
import { LoopTurnQueue } from '../../database/loop-turn-queue.js';
import type { ListQuery } from '../../database/query/list-query.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import { etagListMatches } from '../../scim/etag.js';
import { type ListResponse, toPagedListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { parseProjection, projectResource, type Projection, type ProjectionParams, requestedTopLevelAttributes } from '../../scim/projection.js';
import type { ListRequest } from '../../scim/query/list-request.js';
import { ResourceAnswer } from '../../scim/resource-answer.js';
import { assertPossibleId } from './possible-id.js';
import type { AttributeLoader, AttributeValues, InlineValues, ResourceDefinition, StoredResource } from './resource-definition.js';
import { resourceJsonStream } from './resource-json-stream.js';
import { type LoadedAttributes, toScimResource } from './resource.mapper.js';
import { ResourceRowsRepository } from './resource-rows.repository.js';

/** How long SQLite list pages may hold the loop together before the next one waits for a turn (plus the last page's own time). */
const PAGE_SLICE_MS = 2;
/** A lookup's answer of up to this many resources is rendered as soon as its statement answers (about 30 µs each on SQLite). */
const LOOKUP_RENDERED_AT_ONCE = 10;

/**
 * The read path every resource type shares: GET by id (RFC 7644 §3.4.1, ETags §3.14), list and
 * `.search` pages (§3.4.2, §3.4.3, RFC 9865 cursors), and the projected answer of a write. The
 * projection is parsed before any query, so a typo costs no database work, and an attribute
 * loader runs only when the projection returns its attribute.
 *
 * On SQLite list pages (their queries and the mapping of up to a page of resources, ~4 ms at 100
 * users) run on loop turns of their own, several to a turn only while they take less than
 * PAGE_SLICE_MS together: ten concurrent pages otherwise ran back to back and held the loop
 * 40–50 ms at any tenant size (issue 15), and a turn for each keyed filter's 0.1 ms page cost
 * more than the page. A keyed filter's page (ListQuery.isLookup: an IdP's `userName eq` per
 * user) skips that queue, so the lookups that arrive together share one statement
 * (CoalescedStatements) instead of running one after another; only a count of its own, or a
 * large answer's rendering, queues. PostgreSQL's queries yield by themselves.
 */
@Injectable()
export class ResourceReader {
  private readonly pages: LoopTurnQueue | undefined;

  constructor(
    private readonly rows: ResourceRowsRepository,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
    @InjectDataSource(ROSTER_DATA_SOURCE) dataSource: DataSource,
  ) {
    this.pages = dataSource.options.type === 'postgres' ? undefined : new LoopTurnQueue(PAGE_SLICE_MS);
  }

  async get(
    definition: ResourceDefinition,
    loaders: readonly AttributeLoader[],
    tenant: TenantId,
    id: string,
    params: ProjectionParams,
    ifNoneMatch: string | undefined,
  ): Promise<ResourceAnswer> {
    const projection = parseProjection(params, definition.type.context);
    // Before the row and the loaders (which run beside it) take the id to SQL.
    assertPossibleId(definition, id);
    const wanted = wantedLoaders(definition, loaders, projection);
    const streamed = wanted.find((loader) => loader.streamed);
    const inline = wanted.filter((loader) => !loader.streamed && loader.inline !== undefined);
    const held = wanted.filter((loader) => !loader.streamed && loader.inline === undefined);
    // The row and the inline loaders' values in one statement; other loaders one after the
    // other, not side by side: on PostgreSQL each would hold a pool connection of its own, and
    // concurrent GETs then queue for the pool; a 404 or a 304 loads nothing more.
    const found = await this.rows.findWithValues(definition, tenant, id, inline.map((loader) => loader.inline as InlineValues));
    if (found === null) throw ScimError.notFound(definition.type.discovery.name, id);
    const { row } = found;
    if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, row.version)) return ResourceAnswer.notModified(row.version);
    const heldValues = await loadOne(held, tenant, id);
    const loaded = inLoaderOrder(
      wanted.filter((loader) => !loader.streamed),
      (loader) => (loader.inline !== undefined ? found.values[inline.indexOf(loader)] : (heldValues.get(loader.attribute) ?? [])),
    );
    const resource = projectResource(toScimResource(definition, row, this.scimBaseUrl, loaded), projection, definition.type.context);
    const body = streamed === undefined ? resource : await this.streamAttribute(definition, streamed, tenant, id, resource, projection);
    return ResourceAnswer.ok(row.version, body);
  }

  async list(definition: ResourceDefinition, loaders: readonly AttributeLoader[], tenant: TenantId, request: ListRequest): Promise<ListResponse<ScimObject>> {
    const projection = parseProjection(request, definition.type.context);
    const query = this.rows.listQuery(definition, tenant, request);
    if (this.pages === undefined) return this.listPage(definition, loaders, tenant, projection, query);
    if (!query.isLookup) return this.pages.run(() => this.listPage(definition, loaders, tenant, projection, query));
    return this.listPage(definition, loaders, tenant, projection, query, this.pages);
  }

  /** With `pacing`, a lookup's page (ListQuery.isLookup): a count of its own, or mapping a large answer, waits its turn as a page does. */
  private async listPage(
    definition: ResourceDefinition,
    loaders: readonly AttributeLoader[],
    tenant: TenantId,
    projection: Projection,
    query: ListQuery,
    pacing?: LoopTurnQueue,
  ): Promise<ListResponse<ScimObject>> {
    const wanted = wantedLoaders(definition, loaders, projection);
    const inline = wanted.filter((loader) => loader.inline !== undefined);
    const held = wanted.filter((loader) => loader.inline === undefined);
    const inlines = inline.map((loader) => loader.inline as InlineValues);
    const page = await this.rows.listPage(definition, query, inlines, pacing);
    const values = await Promise.all(held.map((loader) => loader.forPage(tenant, page.ids)));
    const render = (): ListResponse<ScimObject> => {
      const resources = page.resources.map(({ row, values: inlineValues }) => {
        const loaded = inLoaderOrder(wanted, (loader) =>
          loader.inline !== undefined ? inlineValues[inline.indexOf(loader)] : (values[held.indexOf(loader)].get(row.id) ?? []),
        );
        return projectResource(toScimResource(definition, row, this.scimBaseUrl, loaded), projection, definition.type.context);
      });
      return toPagedListResponse(resources, page);
    };
    return pacing !== undefined && page.resources.length > LOOKUP_RENDERED_AT_ONCE ? pacing.run(async () => render()) : render();
  }

  /**
   * The projected SCIM JSON of a resource a write just stored, derived attributes held in memory.
   * `known` holds the values of attributes the write already knows, read from no loader (a user
   * created just now is in no group).
   */
  async render(
    definition: ResourceDefinition,
    loaders: readonly AttributeLoader[],
    tenant: TenantId,
    row: StoredResource,
    projection: Projection,
    known: ReadonlyMap<string, AttributeValues> = new Map(),
  ): Promise<ScimObject> {
    const wanted = wantedLoaders(definition, loaders, projection);
    const read = await loadOne(
      wanted.filter((loader) => !known.has(loader.attribute)),
      tenant,
      row.id,
    );
    const loaded = inLoaderOrder(wanted, (loader) => known.get(loader.attribute) ?? read.get(loader.attribute) ?? []);
    return projectResource(toScimResource(definition, row, this.scimBaseUrl, loaded), projection, definition.type.context);
  }

  /** Where the resource's answer is built (meta.location, Location on create). */
  locationOf(definition: ResourceDefinition, id: string): string {
    return `${this.scimBaseUrl}${definition.type.discovery.endpoint}/${id}`;
  }

  /** The resource with a streamed attribute, or just the resource when it has no values. */
  private async streamAttribute(
    definition: ResourceDefinition,
    loader: AttributeLoader,
    tenant: TenantId,
    id: string,
    resource: ScimObject,
    projection: Projection,
  ): Promise<ScimObject | Readable> {
    const pages = loader.pagesOf(tenant, id)[Symbol.asyncIterator]();
    const first = await pages.next();
    if (first.done === true || first.value.length === 0) return resource;
    const project = (values: AttributeValues): ScimObject[] => {
      const projected = projectResource({ [loader.attribute]: values }, projection, definition.type.context)[loader.attribute];
      return Array.isArray(projected) ? (projected as ScimObject[]) : [];
    };
    async function* projectedPages(): AsyncGenerator<ScimObject[]> {
      yield project(first.value as AttributeValues);
      for (let next = await pages.next(); next.done !== true; next = await pages.next()) yield project(next.value);
    }
    return resourceJsonStream(resource, loader.attribute, projectedPages());
  }
}

function wantedLoaders(definition: ResourceDefinition, loaders: readonly AttributeLoader[], projection: Projection): AttributeLoader[] {
  const returned = requestedTopLevelAttributes(projection, definition.type.context);
  return loaders.filter((loader) => returned.has(loader.attribute));
}

/** Each loader's values in the loaders' own order: it is the order of the attributes in the answer. */
function inLoaderOrder(loaders: readonly AttributeLoader[], valueOf: (loader: AttributeLoader) => AttributeValues): LoadedAttributes {
  return new Map(loaders.map((loader) => [loader.attribute, valueOf(loader)]));
}

async function loadOne(loaders: readonly AttributeLoader[], tenant: TenantId, id: string): Promise<Map<string, AttributeValues>> {
  const loaded = new Map<string, AttributeValues>();
  for (const loader of loaders) {
    const values: (ScimObject | string)[] = [];
    for await (const page of loader.pagesOf(tenant, id)) values.push(...page);
    loaded.set(loader.attribute, values);
  }
  return loaded;
}
