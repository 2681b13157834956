import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
  /** The sender's port: which of its connections the webhook came over. */
  readonly remotePort: number;
}

/**
 * What the receiver answers a request with: a status, `hang` (never answers), `drop` (closes the
 * connection without an answer, as a server does with a kept-alive socket it just timed out) or a
 * redirect.
 */
export type ReceiverAnswer = number | 'hang' | 'drop' | { readonly redirectTo: string };

/**
 * A real HTTP server on loopback that records every webhook it gets and answers as the test
 * says (by default 200). Hanging requests are held open until `close`.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer = () => 200;
  private readonly held = new Set<ServerResponse>();
  private readonly heldNow = new Map<string, number>();
  private readonly heldMost = new Map<string, number>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: ReceivedWebhook = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now(), remotePort: request.socket.remotePort ?? 0 };
        const index = receiver.received.push(received) - 1;
        const answer = receiver.answer(received, index);
        if (answer === 'hang') {
          receiver.held.add(response);
          const now = (receiver.heldNow.get(received.path) ?? 0) + 1;
          receiver.heldNow.set(received.path, now);
          receiver.heldMost.set(received.path, Math.max(now, receiver.heldMost.get(received.path) ?? 0));
          response.on('close', () => {
            receiver.held.delete(response);
            receiver.heldNow.set(received.path, (receiver.heldNow.get(received.path) ?? 1) - 1);
          });
          return;
        }
        if (answer === 'drop') {
          request.socket.destroy();
          return;
        }
        if (typeof answer === 'object') {
          response.writeHead(302, { location: answer.redirectTo }).end();
          return;
        }
        response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** Calls `listener` on every TCP connection, before any request on it. */
  onConnection(listener: () => void): void {
    this.server.on('connection', listener);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The receiver's URL, with a path to tell endpoints apart. */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The most requests on `path` held open (answered `hang`) at one time: how many attempts the sender had in flight there. */
  mostHeldAtOnce(path: string): number {
    return this.heldMost.get(path) ?? 0;
  }

  /** The webhooks received on `path`, parsed. */
  on(path: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.path === path);
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
