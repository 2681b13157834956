import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import type { DirectRoute, DirectServe } from '../../http/direct-routes.js';
import { SCIM_PREFIX } from '../../http/roster-paths.js';
import { SCIM_CONTENT_TYPE } from '../../http/scim-content-type.js';
import { sendResourceAnswer } from '../../http/scim-response.interceptor.js';
import type { ProjectionParams } from '../../scim/projection.js';
import type { TenantId } from '../../domain/tenant-id.js';
import type { ListResponse } from '../../scim/list-response.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import { listRequestFromQuery } from '../../scim/query/list-request.js';
import { ResourceAnswer } from '../../scim/resource-answer.js';
import { bearerCallerOf } from '../auth/bearer-caller.js';
import type { Principal } from '../auth/principal.js';
import { TokenService } from '../auth/token.service.js';
import { type Admission, handOverAdmission, TenantRateLimiter } from '../rate-limit/tenant-rate-limiter.js';
import { ResourceRegistry, type RegisteredResource, type ResourceRead } from './resource-registry.js';

const RESOURCE_BY_ID = new RegExp(`^${SCIM_PREFIX}(/[^/:]+)/:id$`);
const RESOURCE_LIST = new RegExp(`^${SCIM_PREFIX}(/[^/:]+)$`);

/** What a direct read sends: one resource's answer, or a list page (RFC 7644 §3.4.2). */
type Sendable = ResourceAnswer | ListResponse<ScimObject>;

type ResourceRequest = FastifyRequest<{ Params: { id: string }; Querystring: ProjectionParams & Record<string, unknown> }> & { user?: Principal };

/**
 * GET /scim/v2/{Type}/{id} (RFC 7644 §3.4.1), for the types that register a `read` (Users,
 * Libraries), and GET /scim/v2/{Type} (lists and filters, §3.4.2), for every type, as direct
 * routes (src/http/direct-routes.ts): what ScimAuthGuard, TenantThrottlerGuard, the controller
 * and ScimResponseInterceptor do for them, in that order, with the same services.
 * A request it cannot answer that way goes to the Nest route: before anything counted it, or
 * with its admission, which the route's guard then takes instead of counting it again.
 */
@Injectable()
export class DirectResourceRead implements DirectRoute {
  constructor(
    private readonly tokens: TokenService,
    private readonly limiter: TenantRateLimiter,
    private readonly registry: ResourceRegistry,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {}

  serverFor(url: string): DirectServe | undefined {
    // The types' services registered themselves when they were constructed, before any route.
    const byId = RESOURCE_BY_ID.exec(url)?.[1];
    const read = byId === undefined ? undefined : this.registeredAt(byId)?.read;
    if (read !== undefined) {
      return (request, reply) => this.serve(request as ResourceRequest, reply, (tenant, resourceRequest) => this.readOne(read, tenant, resourceRequest));
    }
    const listed = RESOURCE_LIST.exec(url)?.[1];
    const search = listed === undefined ? undefined : this.registeredAt(listed)?.search;
    if (search !== undefined) {
      return (request, reply) => this.serve(request as ResourceRequest, reply, (tenant, listRequest) => search(tenant, listRequestFromQuery(listRequest.query)));
    }
    return undefined;
  }

  private registeredAt(endpoint: string): RegisteredResource | undefined {
    return this.registry.list().find((resource) => resource.definition.type.discovery.endpoint === endpoint);
  }

  /** A resource by id (RFC 7644 §3.4.1); undefined for an answer only Nest sends (a stream). */
  private async readOne(read: ResourceRead, tenant: TenantId, request: ResourceRequest): Promise<Sendable | undefined> {
    const answer = await read(tenant, request.params.id, request.query, request.headers['if-none-match']);
    if (!(answer.body instanceof Readable)) return answer;
    answer.body.destroy();
    return undefined;
  }

  private async serve(request: ResourceRequest, reply: FastifyReply, produce: (tenant: TenantId, request: ResourceRequest) => Promise<Sendable | undefined>): Promise<boolean> {
    let principal: Principal | null;
    let admission: Admission;
    try {
      principal = await this.readerOf(request);
      if (principal === null) return false;
      admission = await this.limiter.admit(principal.tenantId, 'read', 1);
    } catch {
      // The database or Redis failing (503) before anything was counted: the Nest route meets the same and answers it.
      return false;
    }
    const tenant = principal.tenantId;
    if (admission.retryAfterSeconds !== null) return this.handOver(request, admission);
    let answer: Sendable | undefined;
    try {
      answer = await produce(tenant, request);
    } catch {
      // Its error answer (404, 400, 503) is the Nest route's to give, as it always was.
      return this.handOver(request, admission);
    }
    if (answer === undefined) return this.handOver(request, admission);
    // What the log line names the request's tenant and connection by, as Passport leaves it.
    request.user = principal;
    void reply.headers(admission.headers).type(SCIM_CONTENT_TYPE);
    void reply.send(answer instanceof ResourceAnswer ? sendResourceAnswer(reply, answer) : answer);
    return true;
  }

  /** To the Nest route, whose guard takes this request's admission instead of counting it again. */
  private handOver(request: ResourceRequest, admission: Admission): false {
    handOverAdmission(request, admission);
    return false;
  }

  /**
   * The principal of a request ScimAuthGuard would let read: the bearer token as
   * passport-http-bearer takes it from the header (RFC 6750 §2.1: exactly `Bearer <token>`),
   * known and unexpired, from an allowed address, with `scim.read`; otherwise null.
   */
  private async readerOf(request: FastifyRequest): Promise<Principal | null> {
    const parts = (request.headers.authorization ?? '').split(' ');
    const token = parts.length === 2 && /^Bearer$/i.test(parts[0] ?? '') ? parts[1] : undefined;
    if (!token) return null;
    const caller = await bearerCallerOf(this.tokens, token, request, this.options);
    return caller?.addressAllowed && caller.principal.scopes.includes('scim.read') ? caller.principal : null;
  }
}
