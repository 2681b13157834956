import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * How long an idle socket waits for the next delivery: under the 5 s a Node receiver keeps one
 * (`server.keepAliveTimeout`), so the sender usually lets go first. A receiver that announces
 * less (`Keep-Alive: timeout=N`) is believed: Node's agent reads the hint.
 */
const IDLE_SOCKET_MS = 4000;
/** Idle sockets kept per receiver: as many as the attempts one endpoint may have in flight. */
const MAX_IDLE_SOCKETS_PER_RECEIVER = 16;

/**
 * One dispatcher's connections to webhook receivers, kept alive between deliveries. A connection
 * per delivery cost the sender 1.75–1.99 ms of CPU for each https webhook (a full TLS handshake)
 * against 0.12–0.16 ms on a kept one, and 153–197 against 63–96 µs over plain http (16 at once
 * to a loopback receiver, 4 alternating pairs of 5,000 sends; README "Webhooks").
 *
 * Keeping sockets keeps the SSRF rule (webhook-target.ts): every socket is opened through the
 * sender's guarded lookup, which checks the address it is about to connect to, and a kept socket
 * stays connected to the address checked when it opened. A name that later resolves elsewhere (DNS
 * rebinding) reaches only new sockets, which are checked again. The pools belong to one
 * dispatcher, whose target rules never change, so a socket opened while private targets were
 * allowed is never lent to a dispatcher that forbids them (two Roster apps in one process).
 */
export class WebhookConnections {
  private readonly http = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxFreeSockets: MAX_IDLE_SOCKETS_PER_RECEIVER, scheduling: 'lifo' });
  private readonly https = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxFreeSockets: MAX_IDLE_SOCKETS_PER_RECEIVER, scheduling: 'lifo' });

  /** The pool for `url`'s scheme. */
  agentFor(url: URL): HttpAgent {
    return url.protocol === 'https:' ? this.https : this.http;
  }

  /** Closes every socket, idle or in use: the dispatcher has stopped. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
