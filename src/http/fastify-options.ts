import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { RosterOptions } from '../config/roster-options.js';
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

/**
 * Fastify settings the standalone service uses (a host app can use them too): the body limit,
 * no Fastify logger (Nest logs), the router's handling of slashes and long ids, and Roster's
 * answer for requests that fail before routing: oversized headers (431), which Node rejects
 * before any handler sees the URL, and paths the router cannot decode.
 */
export function rosterFastifyOptions(options: RosterOptions): FastifyServerOptions {
  return {
    bodyLimit: options.bodyLimitBytes,
    logger: false,
    trustProxy: false,
    routerOptions: {
      // `/Users/` and `/Users/{id}/` are `/Users` and `/Users/{id}`: vendors' Postman collections
      // send the slash, and RFC 7644 §3.2 names endpoints, not spellings of them.
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
    // Request ids quoted in 500 answers and logs must be unique across replicas, and never chosen by the client.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  };
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
      'Connection: close\r\nContent-Type: application/scim+json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
