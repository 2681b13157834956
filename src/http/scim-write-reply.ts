import type { FastifyReply } from 'fastify';
import { etagOf } from './etag.js';

/** Sets the headers of a single-resource answer: `ETag` always (RFC 7644 §3.14), `Location` on create (§3.3). */
export function setResourceHeaders(reply: FastifyReply, version: number, location?: string): void {
  void reply.header('etag', etagOf(version));
  if (location !== undefined) void reply.header('location', location);
}
