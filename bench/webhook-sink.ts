import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bench's webhook receiver: answers 200 at once and keeps, for each event, the time from
 * its `occurredAt` to its arrival (the delivery lag a platform sees).
 */
export class WebhookSink {
  readonly lagsMs: number[] = [];
  private readonly ids = new Set<string>();
  duplicates = 0;
  /** Only webhooks to this path count (an earlier phase's stragglers go elsewhere). */
  path = '/bench';

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookSink> {
    const server = createServer();
    const sink = new WebhookSink(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const arrived = Date.now();
        if (request.url !== sink.path) {
          response.writeHead(200).end();
          return;
        }
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; occurredAt: string };
        if (sink.ids.has(event.id)) sink.duplicates += 1;
        else {
          sink.ids.add(event.id);
          sink.lagsMs.push(arrived - Date.parse(event.occurredAt));
        }
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  /** The URL of `path`, which becomes the one that counts. */
  urlFor(path: string): string {
    this.path = path;
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  get received(): number {
    return this.ids.size;
  }

  /** Forgets what arrived so far (between phases). */
  reset(): void {
    this.lagsMs.length = 0;
    this.ids.clear();
    this.duplicates = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
