import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import type { RosterOptions } from '../config/roster-options.js';
import { ScimError } from '../scim/errors.js';

/**
 * Longer than any request line Node accepts (its request head is at most 16 KiB by default), so
 * the router never refuses an id for its length: the resource path answers it, 404 after the
 * token is checked, like any id that names nothing. find-my-way's default is 100.
 */
const MAX_PARAM_LENGTH = 64 * 1024;

/**
 * Fastify settings the standalone service uses (a host app can use them too): the body limit,
 * no Fastify logger (Nest logs), and a SCIM answer for requests that fail before routing, such
 * as oversized headers (431), which Node rejects before any handler sees the URL.
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
  };
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
