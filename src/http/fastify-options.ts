import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { LogController, type FastifyServerOptions } from 'fastify';
import type { RosterOptions, TrustProxy } from '../config/roster-options.js';
import type { RosterLogger } from '../logging/roster-logger.js';
import { isAddressInRanges, parseAddress } from '../modules/auth/ip-allowlist.js';
import { ScimError } from '../scim/errors.js';

/** What a request id taken from a proxy may look like: no spaces or quotes to forge log fields with. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Fastify settings the standalone service uses (a host app can use them too): the body limit,
 * the service's pino logger when given (one line per request is Roster's, so Fastify's own two
 * are off), request ids, and a SCIM answer for requests that fail before routing, such as
 * oversized headers (431), which Node rejects before any handler sees the URL.
 */
export function rosterFastifyOptions(options: RosterOptions, logger?: RosterLogger): FastifyServerOptions {
  return {
    bodyLimit: options.bodyLimitBytes,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    trustProxy: false,
    // During a drain, a request arriving on a kept-alive connection is served (with Connection:
    // close) rather than refused with 503: a rolling deploy loses no request (DESIGN.md "Operations").
    return503OnClosing: false,
    genReqId: (request) => requestIdOf(request, options.trustProxy),
    requestIdHeader: false,
    clientErrorHandler: answerClientError,
  };
}

/**
 * Request ids are quoted in 500 answers and logs, so they must be unique across replicas: a
 * fresh UUID, unless a trusted proxy (TRUST_PROXY, the peer of the socket) sent `X-Request-Id`,
 * which then ties our lines to the proxy's. A client reaching us directly cannot choose one.
 */
export function requestIdOf(request: IncomingMessage, trust: TrustProxy): string {
  const sent = request.headers['x-request-id'];
  if (typeof sent === 'string' && REQUEST_ID.test(sent) && isTrustedPeer(request.socket?.remoteAddress, trust)) return sent;
  return randomUUID();
}

function isTrustedPeer(address: string | undefined, trust: TrustProxy): boolean {
  if (trust.kind === 'none' || address === undefined) return false;
  // With a hop count every peer is the nearest proxy (RFC 7239 §7.4: the operator vouches for the path).
  if (trust.kind === 'hops') return true;
  const peer = parseAddress(address)?.toString();
  return peer !== undefined && isAddressInRanges(peer, trust.cidrs);
}

function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const scimError =
    error.code === 'HPE_HEADER_OVERFLOW' ? ScimError.headersTooLarge() : ScimError.invalidSyntax('Malformed HTTP request.');
  const body = JSON.stringify(scimError.toBody());
  socket.end(
    `HTTP/1.1 ${scimError.status} ${scimError.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Connection: close\r\nContent-Type: application/scim+json; charset=utf-8\r\nX-Request-Id: ${randomUUID()}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
