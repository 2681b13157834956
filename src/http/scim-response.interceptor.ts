import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { SCIM_CONTENT_TYPE } from './scim-content-type.js';

/** Every SCIM answer is `application/scim+json` (RFC 7644 §3.1), set before the handler runs. */
@Injectable()
export class ScimResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse<FastifyReply>().type(SCIM_CONTENT_TYPE);
    return next.handle();
  }
}
