import { All, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ScimError } from '../scim/errors.js';
import { ScimController } from './scim-controller.decorator.js';
import { ScimRouteTable } from './scim-route-table.js';

/**
 * Catches what no SCIM route matched, so that even unknown paths and wrong methods answer a
 * SCIM error (404, or 405 with `Allow`), also inside a host app whose router we don't own.
 */
@ScimController()
export class ScimFallbackController {
  constructor(private readonly routes: ScimRouteTable) {}

  @All('*')
  unmatched(@Req() request: FastifyRequest): never {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = this.routes.allowedMethods(path);
    if (allowed.length > 0) throw ScimError.methodNotAllowed(request.method, allowed);
    throw ScimError.routeNotFound(path);
  }
}
