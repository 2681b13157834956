import type { FastifyRequest } from 'fastify';
import type { RosterOptions } from '../../config/roster-options.js';
import { resolveClientIp } from './client-ip.js';

/** The client address of a Fastify request under the configured proxy trust. */
export function requestClientIp(request: FastifyRequest, options: RosterOptions): string | null {
  return resolveClientIp(request.socket.remoteAddress, request.headers, options.trustProxy, options.trustProxyHeader);
}
