import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LogController, type FastifyServerOptions } from 'fastify';
import type { RosterOptions, TrustProxy } from '../config/roster-options.js';
import type { RosterLogger } from '../logging/roster-logger.js';
import { isAddressInRanges, parseAddress } from '../modules/auth/ip-allowlist.js';
import { OAuthError } from '../modules/oauth/oauth-error.js';
import { ScimError } from '../scim/errors.js';
import { errorDialectOf } from './roster-paths.js';
import { sendOAuthError, sendScimError } from './send-error.js';

/**
 * Longer than any request line Node accepts (its request head is at most 16 KiB by default), so
 * the router never refuses an id for its length: the resource path answers it, 404 after the
 * token is checked, like any id that names nothing. find-my-way's default is 100.
 */
const MAX_PARAM_LENGTH = 64 * 1024;

/** What a request id taken from a proxy may look like: no spaces or quotes to forge log fields with. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Fastify settings the standalone service uses (a host app can use them too): the body limit,
 * the service's pino logger when given (one line per request is Roster's, so Fastify's own two
 * are off), request ids, the router's handling of slashes and long ids, and Roster's answer for
 * requests that fail before routing: oversized headers (431), which Node rejects before any
 * handler sees the URL, and paths the router cannot decode.
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
    routerOptions: {
      // `/Users/` and `/Users/{id}/` are `/Users` and `/Users/{id}`: vendors' Postman collections
      // send the slash, and RFC 7644 §3.2 names endpoints, not spellings of them.
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
    genReqId: (request) => requestIdOf(request, options.trustProxy),
    requestIdHeader: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
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

/**
 * The router refuses a path it cannot percent-decode (FST_ERR_BAD_URL: `%ED%A0%80` is an unpaired
 * surrogate, `%E0%A4%A` is cut short) before any route, guard or Nest filter runs. Under Roster's
 * prefixes that is Roster's error shape instead of Fastify's JSON: a SCIM 404 (such a path names
 * nothing, whatever its bytes hold) or an OAuth `invalid_request`. A host app's paths, and any
 * other framework error, get Fastify's own answer.
 */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const dialect = errorDialectOf(request.url);
  if (error.code !== 'FST_ERR_BAD_URL' || dialect === 'other') {
    void reply.send(error);
  } else if (dialect === 'oauth') {
    sendOAuthError(reply, OAuthError.invalidRequest('The URL path is not valid percent-encoded UTF-8.'));
  } else {
    sendScimError(reply, ScimError.undecodablePath());
  }
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
