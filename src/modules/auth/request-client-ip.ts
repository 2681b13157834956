import type { FastifyRequest } from 'fastify';
import type { RosterOptions } from '../../config/roster-options.js';
import { resolveClientIp } from './client-ip.js';

// The allowlist, the request context and the log line all ask; the answer is parsed once a request.
const resolved = new WeakMap<object, string | null>();

/** The client address of a Fastify request under the configured proxy trust. */
export function requestClientIp(request: FastifyRequest, options: RosterOptions): string | null {
  const key = request.raw ?? request;
  if (resolved.has(key)) return resolved.get(key) ?? null;
  const address = resolveClientIp(request.socket.remoteAddress, request.headers, options.trustProxy, options.trustProxyHeader);
  resolved.set(key, address);
  return address;
}
