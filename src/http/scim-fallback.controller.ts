import { All, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ScimError } from '../scim/errors.js';
import { ScimController } from './scim-controller.decorator.js';
import { ScimRouteTable } from './scim-route-table.js';

/**
 * Catches what no SCIM route matched, so that even unknown paths and wrong methods answer a
 * SCIM error (404, or 405 with `Allow`), also inside a host app whose router we don't own.
 * A URL that a route serves with this very method can land here too, when the router refused it:
 * a trailing slash on a router that does not ignore them (a host app's own Fastify), or a
 * parameter over its `maxParamLength`. It names no resource, so it is a 404, never a 405 whose
 * `Allow` lists the method just used.
 */
@ScimController()
export class ScimFallbackController {
  constructor(private readonly routes: ScimRouteTable) {}

  @All('*')
  unmatched(@Req() request: FastifyRequest): never {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = this.routes.allowedMethods(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) throw ScimError.methodNotAllowed(request.method, allowed);
    throw ScimError.routeNotFound(path);
  }
}
