import { Readable } from 'node:stream';
import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { etagListMatches } from '../../http/etag.js';
import { SCIM_CONTENT_TYPE } from '../../http/scim-content-type.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import { setResourceHeaders } from '../../http/scim-write-reply.js';
import type { ListResponse } from '../../scim/list-response.js';
import { readPatchRequest } from '../../scim/patch/patch-request.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { parseProjection, type ProjectionParams } from '../../scim/projection.js';
import { listRequestFromQuery, listRequestFromSearchBody } from '../../scim/query/list-request.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { GROUP_CONTEXT } from './group-resource.js';
import { GroupsService } from './groups.service.js';

@ScimController('Groups')
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @RequireScopes('scim.read')
  list(@Tenant() tenant: TenantId, @Query() query: Record<string, unknown>): Promise<ListResponse<ScimObject>> {
    return this.groups.search(tenant, listRequestFromQuery(query));
  }

  @Post('.search')
  @HttpCode(200)
  @RequireScopes('scim.read')
  searchByPost(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<ListResponse<ScimObject>> {
    return this.groups.search(tenant, listRequestFromSearchBody(body));
  }

  @Get(':id')
  @RequireScopes('scim.read')
  async get(
    @Tenant() tenant: TenantId,
    @Param('id') id: string,
    @Query() query: ProjectionParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject | StreamableFile | undefined> {
    const projection = parseProjection(query, GROUP_CONTEXT);
    const group = await this.groups.get(tenant, id);
    setResourceHeaders(reply, group.version);
    if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, group.version)) {
      void reply.status(304);
      return undefined;
    }
    const answer = await this.groups.renderForRead(tenant, group, projection);
    return answer instanceof Readable ? new StreamableFile(answer, { type: SCIM_CONTENT_TYPE }) : answer;
  }

  @Post()
  @RequireScopes('scim.write')
  async create(
    @Tenant() tenant: TenantId,
    @Body() body: unknown,
    @Query() query: ProjectionParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject> {
    const projection = parseProjection(query, GROUP_CONTEXT);
    const { group } = await this.groups.create(tenant, body);
    const resource = await this.groups.render(tenant, group, projection);
    setResourceHeaders(reply, group.version, (resource.meta as { location: string }).location);
    return resource;
  }

  @Put(':id')
  @RequireScopes('scim.write')
  async replace(
    @Tenant() tenant: TenantId,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ProjectionParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject> {
    const projection = parseProjection(query, GROUP_CONTEXT);
    const { group } = await this.groups.replace(tenant, id, body, ifMatch);
    setResourceHeaders(reply, group.version);
    return this.groups.render(tenant, group, projection);
  }

  /**
   * RFC 7644 §3.5.2 lets a PATCH answer 204: a group's answer would hold every member, which
   * would make adding one member to a large group cost the whole group. With `attributes` or
   * `excludedAttributes` the client asks for the resource and gets 200 with what it named.
   */
  @Patch(':id')
  @RequireScopes('scim.write')
  async patch(
    @Tenant() tenant: TenantId,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ProjectionParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject | undefined> {
    const projection = parseProjection(query, GROUP_CONTEXT);
    const { group } = await this.groups.patch(tenant, id, readPatchRequest(body), ifMatch);
    setResourceHeaders(reply, group.version);
    if (projection.attributes === undefined && projection.excludedAttributes === undefined) {
      void reply.status(204);
      return undefined;
    }
    return this.groups.render(tenant, group, projection);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('scim.write')
  async delete(@Tenant() tenant: TenantId, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.groups.delete(tenant, id, ifMatch);
  }
}
