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
import type { ResourceAnswer } from '../../scim/resource-answer.js';
import { isAddressAllowed } from '../auth/ip-allowlist.js';
import type { Principal } from '../auth/principal.js';
import { requestClientIp } from '../auth/request-client-ip.js';
import { TokenService } from '../auth/token.service.js';
import { type Admission, handOverAdmission, TenantRateLimiter } from '../rate-limit/tenant-rate-limiter.js';
import { ResourceRegistry, type ResourceRead } from './resource-registry.js';

const RESOURCE_BY_ID = new RegExp(`^${SCIM_PREFIX}(/[^/:]+)/:id$`);

type ResourceRequest = FastifyRequest<{ Params: { id: string }; Querystring: ProjectionParams }> & { user?: Principal };

/**
 * GET /scim/v2/{Type}/{id} (RFC 7644 §3.4.1) as a direct route (src/http/direct-routes.ts), for
 * the types that register a `read` (Users, Libraries): what ScimAuthGuard, TenantThrottlerGuard,
 * the controller and ScimResponseInterceptor do for it, in that order, with the same services.
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
    const endpoint = RESOURCE_BY_ID.exec(url)?.[1];
    // The types' services registered themselves when they were constructed, before any route.
    const read = this.registry.list().find((resource) => resource.definition.type.discovery.endpoint === endpoint)?.read;
    return read === undefined ? undefined : (request, reply) => this.serve(read, request as ResourceRequest, reply);
  }

  private async serve(read: ResourceRead, request: ResourceRequest, reply: FastifyReply): Promise<boolean> {
    const principal = await this.readerOf(request);
    if (principal === null) return false;
    const tenant = principal.tenantId;
    const admission = await this.limiter.admit(tenant, 'read', 1);
    if (admission.retryAfterSeconds !== null) return this.handOver(request, admission);
    let answer: ResourceAnswer;
    try {
      answer = await read(tenant, request.params.id, request.query, request.headers['if-none-match']);
    } catch {
      // Its error answer (404, 400, 503) is the Nest route's to give, as it always was.
      return this.handOver(request, admission);
    }
    if (answer.body instanceof Readable) {
      answer.body.destroy();
      return this.handOver(request, admission);
    }
    // What the log line names the request's tenant and connection by, as Passport leaves it.
    request.user = principal;
    void reply.headers(admission.headers).type(SCIM_CONTENT_TYPE);
    void reply.send(sendResourceAnswer(reply, answer));
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
    const principal = await this.tokens.verify(token);
    if (principal === null || !principal.scopes.includes('scim.read')) return null;
    return isAddressAllowed(requestClientIp(request, this.options), principal.allowedCidrs) ? principal : null;
  }
}
