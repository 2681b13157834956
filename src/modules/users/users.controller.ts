import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { etagListMatches } from '../../http/etag.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import { setResourceHeaders } from '../../http/scim-write-reply.js';
import { readPatchRequest } from '../../scim/patch/patch-request.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ListResponse } from '../../scim/list-response.js';
import { parseProjection, type ProjectionParams } from '../../scim/projection.js';
import { listRequestFromQuery, listRequestFromSearchBody } from '../../scim/query/list-request.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { USER_CONTEXT } from './user-resource.js';
import { UsersService, type WrittenUser } from './users.service.js';

@ScimController('Users')
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** RFC 7644 §3.4.2: filter, sort, index or cursor (RFC 9865) pages, projection. */
  @Get()
  @RequireScopes('scim.read')
  list(@Tenant() tenant: TenantId, @Query() query: Record<string, unknown>): Promise<ListResponse<ScimObject>> {
    return this.users.search(tenant, listRequestFromQuery(query));
  }

  /** RFC 7644 §3.4.3: the same query in a POST body, which keeps filters out of URLs and logs. */
  @Post('.search')
  @HttpCode(200)
  @RequireScopes('scim.read')
  searchByPost(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<ListResponse<ScimObject>> {
    return this.users.search(tenant, listRequestFromSearchBody(body));
  }

  @Get(':id')
  @RequireScopes('scim.read')
  async get(
    @Tenant() tenant: TenantId,
    @Param('id') id: string,
    @Query() query: ProjectionParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject | undefined> {
    const projection = parseProjection(query, USER_CONTEXT);
    const { user, groups } = await this.users.read(tenant, id, projection);
    setResourceHeaders(reply, user.version);
    if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, user.version)) {
      void reply.status(304);
      return undefined;
    }
    return this.users.project(user, groups, projection);
  }

  @Post()
  @RequireScopes('scim.write')
  async create(
    @Tenant() tenant: TenantId,
    @Body() body: unknown,
    @Query() query: ProjectionParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject> {
    const projection = parseProjection(query, USER_CONTEXT);
    const user = await this.users.create(tenant, body);
    setResourceHeaders(reply, user.version, locationOf(user));
    return this.users.render(tenant, user, projection);
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
    const projection = parseProjection(query, USER_CONTEXT);
    const user = await this.users.replace(tenant, id, body, ifMatch);
    setResourceHeaders(reply, user.version);
    return this.users.render(tenant, user, projection);
  }

  @Patch(':id')
  @RequireScopes('scim.write')
  async patch(
    @Tenant() tenant: TenantId,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ProjectionParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScimObject> {
    const projection = parseProjection(query, USER_CONTEXT);
    const user = await this.users.patch(tenant, id, readPatchRequest(body), ifMatch);
    setResourceHeaders(reply, user.version);
    return this.users.render(tenant, user, projection);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('scim.write')
  async delete(@Tenant() tenant: TenantId, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.users.delete(tenant, id, ifMatch);
  }
}


function locationOf(user: WrittenUser): string {
  const meta = user.resource.meta as { location: string };
  return meta.location;
}
