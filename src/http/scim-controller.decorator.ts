import { applyDecorators, Controller, UseInterceptors } from '@nestjs/common';
import { SCIM_PREFIX } from './roster-paths.js';
import { ScimResponseInterceptor } from './scim-response.interceptor.js';

/** A controller under /scim/v2 whose answers are `application/scim+json`. */
export function ScimController(path = ''): ClassDecorator {
  const base = SCIM_PREFIX.slice(1);
  return applyDecorators(Controller(path ? `${base}/${path}` : base), UseInterceptors(ScimResponseInterceptor));
}
