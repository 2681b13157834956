import { Readable } from 'node:stream';
import { Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { etagOf } from '../scim/etag.js';
import { ResourceAnswer } from '../scim/resource-answer.js';
import { SCIM_CONTENT_TYPE } from './scim-content-type.js';

/**
 * Every SCIM answer is `application/scim+json` (RFC 7644 §3.1), set before the handler runs. A
 * handler that returns a ResourceAnswer gets it sent as the service decided: status, `ETag`,
 * `Location`, and the body (a stream for resources too large to hold).
 */
@Injectable()
export class ScimResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    reply.type(SCIM_CONTENT_TYPE);
    return next.handle().pipe(map((result: unknown) => (result instanceof ResourceAnswer ? sendResourceAnswer(reply, result) : result)));
  }
}

/** Puts the answer's status, `ETag` and `Location` on the reply; what is left to send is the body (a stream as Nest sends one). */
export function sendResourceAnswer(reply: FastifyReply, answer: ResourceAnswer): unknown {
  void reply.status(answer.status).header('etag', etagOf(answer.version));
  if (answer.location !== undefined) void reply.header('location', answer.location);
  return answer.body instanceof Readable ? new StreamableFile(answer.body, { type: SCIM_CONTENT_TYPE }) : answer.body;
}
