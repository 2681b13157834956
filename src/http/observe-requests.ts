import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../config/injection-tokens.js';
import type { RosterOptions } from '../config/roster-options.js';
import type { Principal } from '../modules/auth/principal.js';
import { requestClientIp } from '../modules/auth/request-client-ip.js';
import { RosterMetrics } from '../modules/metrics/roster-metrics.js';
import { scimOperationOf } from '../modules/metrics/scim-operation.js';
import { ResourceRegistry } from '../modules/resources/resource-registry.js';

/** The route label of a request no route matched: the raw URL must never become a label. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Response bodies larger than this are not copied into debug lines. */
const MAX_LOGGED_BODY_CHARS = 16 * 1024;

const responseBodies = new WeakMap<FastifyRequest, unknown>();

/**
 * Watches every answer of the app (Roster's routes and a host's alike) with Fastify hooks, which
 * see what no Nest interceptor does: 404s of unknown paths, 413s of the body parser, guards'
 * 401s and 429s. Each answer carries `X-Request-Id`, is counted for `GET /metrics` by its route
 * template (`/scim/v2/Users/:id`), and gets one log line; at `debug` the line also holds the
 * request's headers and body and the answer's body (the logger redacts their secrets).
 */
export function observeRequests(app: NestFastifyApplication): void {
  const metrics = app.get(RosterMetrics);
  const registry = app.get(ResourceRegistry);
  const options = app.get<RosterOptions>(ROSTER_OPTIONS);
  const typeAt = (endpoint: string) =>
    registry.list().find((resource) => resource.definition.type.discovery.endpoint === endpoint)?.definition.type.discovery.name;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    if (isDebugging(request)) responseBodies.set(request, loggableBody(payload, reply));
    done(null, payload);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = routeTemplateOf(request);
    const method = request.method;
    const status = reply.statusCode;
    metrics.observeHttp(route, method, status, reply.elapsedTime / 1000);
    const operation = scimOperationOf(route, method, status, typeAt);
    if (operation !== null) metrics.countScimOperation(operation);
    logAnswer(request, reply, route, options);
    done();
  });
}

/** The template of the route that served the request (`/admin/tenants/:tenantId`), never the URL itself. */
export function routeTemplateOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

function logAnswer(request: FastifyRequest, reply: FastifyReply, route: string, options: RosterOptions): void {
  // Below `info` (LOG_LEVEL=warn) the line would be dropped: not worth building on every request.
  if (!isLevelOn(request, 'info')) return;
  const principal = (request as FastifyRequest & { user?: Principal }).user;
  const params = request.params as Readonly<Record<string, string | undefined>> | undefined;
  const line: Record<string, unknown> = {
    // A SCIM request's tenant comes from its token; an admin request names it in its path.
    tenant: principal?.tenantId ?? params?.tenantId,
    connection: principal?.connectionId ?? params?.connectionId,
    method: request.method,
    route,
    url: request.url,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    clientIp: requestClientIp(request, options),
  };
  if (isDebugging(request)) {
    // Not `req`/`res`: Fastify's serializers own those keys and would keep only method and URL.
    line.request = { headers: request.headers, body: request.body };
    line.response = { headers: reply.getHeaders(), body: responseBodies.get(request) };
  }
  request.log.info(line, 'request');
}

/** Fastify's stand-in logger (no logger configured, e.g. in a host app) has no levels at all. */
function isDebugging(request: FastifyRequest): boolean {
  const log = request.log as { isLevelEnabled?: (level: string) => boolean };
  return typeof log.isLevelEnabled === 'function' && log.isLevelEnabled('debug');
}

/** Whether `level` is logged; a logger without levels (Fastify's stand-in) logs nothing anyway, so building the line costs nothing worth sparing. */
function isLevelOn(request: FastifyRequest, level: 'info'): boolean {
  const log = request.log as { isLevelEnabled?: (level: string) => boolean };
  return typeof log.isLevelEnabled !== 'function' || log.isLevelEnabled(level);
}

function loggableBody(payload: unknown, reply: FastifyReply): unknown {
  if (typeof payload !== 'string') return payload === undefined || payload === null ? undefined : '[stream]';
  if (payload.length > MAX_LOGGED_BODY_CHARS) return `[${payload.length} characters]`;
  if (!String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
}
