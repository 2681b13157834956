import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookConnections } from './webhook-connections.js';
import { isAllowedAddress, type TargetRules } from './webhook-target.js';

/** What one attempt came to: the receiver's status, or why there was none. */
export type SendOutcome =
  | { readonly kind: 'answered'; readonly status: number }
  | { readonly kind: 'failed'; readonly error: string };

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SendOptions extends TargetRules {
  readonly timeoutMs: number;
  readonly connections: WebhookConnections;
  readonly signal?: AbortSignal;
}

/** The most of a receiver's answer read (and then dropped): its status is all that counts. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one webhook with Node's own HTTP client rather than fetch: its `lookup` hook sees the
 * address the socket is about to connect to, which is where an SSRF check must sit (a check
 * before the request would let DNS answer differently the second time). Sockets come from the
 * dispatcher's kept-alive pools (webhook-connections.ts says why that keeps the check). Redirects
 * are not followed (Node's client never does): a 3xx is an answer like any other non-2xx. The
 * whole attempt, connecting included, is bounded by `timeoutMs`.
 */
export function sendWebhook(target: WebhookRequest, options: SendOptions): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      resolve({ kind: 'failed', error: 'url is not valid' });
      return;
    }
    let settled = false;
    let current: ClientRequest | undefined;
    const settle = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      current?.destroy();
      settle({ kind: 'failed', error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);

    const send = (agent: Agent | false): void => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers: { ...target.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(target.body), 'user-agent': 'Roster-Webhooks/1' },
        lookup: guardedLookup(options),
        agent,
        signal: options.signal,
      });
      current = request;
      let answered = false;
      request.on('response', (response: IncomingMessage) => {
        answered = true;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const done = (): void => settle({ kind: 'answered', status: response.statusCode ?? 0 });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      });
      request.on('error', (error: Error) => {
        // A kept socket the receiver closed while it sat idle fails at once, before any answer
        // (Node's http docs, `request.reusedSocket`): sent again, once, on a connection of its
        // own rather than counted as a failed attempt. The receiver may have read it; deliveries
        // are at least once, and the unchanged webhook-id lets it tell (Standard Webhooks 1.0).
        if (agent !== false && !answered && !settled && request.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
          send(false);
          return;
        }
        settle({ kind: 'failed', error: describe(error) });
      });
      request.end(target.body);
    };
    send(options.connections.agentFor(url));
  });
}

/** dns.lookup, refusing every address the target rules do not allow. */
function guardedLookup(rules: TargetRules): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) {
        callback(error, '', 0);
        return;
      }
      const refused = addresses.find((entry) => !isAllowedAddress(entry.address, rules));
      if (refused !== undefined || addresses.length === 0) {
        callback(Object.assign(new Error(`${hostname} resolves to ${refused?.address ?? 'no address'}, which is not a public address`), { code: 'ERR_WEBHOOK_PRIVATE_TARGET' }), '', 0);
        return;
      }
      if (lookupOptions.all === true) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** An error as a short line for the delivery history; never a header or body, which could carry the signature. */
function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message.slice(0, 300);
  return code === undefined || message.includes(code) ? message : `${code}: ${message}`;
}
