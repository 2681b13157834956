import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

/**
 * One request served by a direct route: true when it answered, false to hand the request, untouched, to
 * the Nest route at the same URL.
 */
export type DirectServe = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

/** A Nest GET route some of whose requests can be answered without Nest: which ones, and how. */
export interface DirectRoute {
  /** The server for the Nest route registered at this URL template (`/scim/v2/Users/:id`), if this direct route takes it. */
  serverFor(url: string): DirectServe | undefined;
}

/**
 * The hot reads (issue 15: GET /Users/{id}, the admin access endpoint) answered by a plain Fastify
 * handler that runs the same steps the Nest route runs — the same authentication, rate limit,
 * service call and reply — without Nest's per-request machinery: guards and interceptors each go
 * through an execution context and rxjs, Passport builds a strategy per request. On the 2-core
 * machine that machinery cost more than everything the request does.
 *
 * A direct route answers only the common case, a request that succeeds; anything else (no token,
 * a refused one, a 404, a 429) it gives back before it has changed anything, and the Nest route
 * runs as if the direct route did not exist, so every error keeps exactly the answer it has.
 * It wraps the Nest route's own Fastify handler (`onRoute`), so the route keeps its URL
 * template, its hooks (request id, metrics by route, the log line) and its HEAD twin, which
 * Nest serves.
 *
 * Call before the app registers its routes (`init`/`listen`).
 */
export function installDirectRoutes(fastify: FastifyInstance, routes: readonly DirectRoute[]): void {
  const wrapped: string[] = [];
  wrappedUrls.set(fastify, wrapped);
  fastify.addHook('onRoute', (options) => {
    if (options.method !== 'GET') return;
    const serve = routes.map((route) => route.serverFor(options.url)).find((server) => server !== undefined);
    if (serve === undefined) return;
    const nest = options.handler;
    const directOrNest: RouteHandlerMethod = function (this: FastifyInstance, request, reply) {
      // HEAD reaches this handler too when Fastify derives the HEAD route from this one.
      if (request.method !== 'GET') return nest.call(this, request, reply);
      return serve(request, reply).then((answered) => (answered ? reply : nest.call(this, request, reply)));
    };
    options.handler = directOrNest;
    wrapped.push(options.url);
  });
}

const wrappedUrls = new WeakMap<FastifyInstance, readonly string[]>();

/** The URL templates of the GET routes whose handler `installDirectRoutes` wrapped on this instance, in registration order. */
export function directRouteUrls(fastify: FastifyInstance): readonly string[] {
  return wrappedUrls.get(fastify) ?? [];
}
