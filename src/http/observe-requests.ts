import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RosterMetrics } from '../modules/metrics/roster-metrics.js';
import { scimOperationOf } from '../modules/metrics/scim-operation.js';
import { ResourceRegistry } from '../modules/resources/resource-registry.js';

/** The route label of a request no route matched: the raw URL must never become a label. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Watches every answer of the app (Roster's routes and a host's alike) at Fastify's onResponse,
 * which sees what no Nest interceptor does: 404s of unknown paths, 413s of the body parser,
 * guards' 401s and 429s. Routes are labelled by their template (`/scim/v2/Users/:id`).
 */
export function observeRequests(app: NestFastifyApplication): void {
  const metrics = app.get(RosterMetrics);
  const registry = app.get(ResourceRegistry);
  const typeAt = (endpoint: string) =>
    registry.list().find((resource) => resource.definition.type.discovery.endpoint === endpoint)?.definition.type.discovery.name;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const route = routeTemplateOf(request);
      const method = request.method;
      const status = reply.statusCode;
      metrics.observeHttp(route, method, status, reply.elapsedTime / 1000);
      const operation = scimOperationOf(route, method, status, typeAt);
      if (operation !== null) metrics.countScimOperation(operation);
      done();
    });
}

/** The template of the route that served the request (`/admin/tenants/:tenantId`), never the URL itself. */
export function routeTemplateOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}
