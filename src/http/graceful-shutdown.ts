import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RosterLogger } from '../logging/roster-logger.js';

/** After the grace period, how long closing the database may still take before the process gives up. */
const CLOSE_DEADLINE_MS = 5000;

/**
 * SIGTERM (and SIGINT) drain the service (DESIGN.md "Operations"): the listener closes at once
 * (new connections are refused, idle kept-alive ones closed), requests in flight finish, and a
 * request arriving meanwhile on a busy kept-alive connection is still served (with `Connection:
 * close`); after `graceSeconds` the connections still open are cut. Then Nest's shutdown hooks
 * close Redis and the database, and the process exits 0 (1 when closing failed or hung).
 */
export function closeOnSignals(app: NestFastifyApplication, graceSeconds: number, logger: RosterLogger, exit: (code: number) => void = process.exit): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const server = app.getHttpServer() as Server;
    logger.info({ signal, graceSeconds }, 'shutting down: refusing new connections, finishing requests in flight');
    const cut = setTimeout(() => {
      logger.warn({ graceSeconds }, 'grace period over: closing the connections still open');
      server.closeAllConnections();
    }, graceSeconds * 1000);
    const deadline = setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      exit(1);
    }, graceSeconds * 1000 + CLOSE_DEADLINE_MS);
    deadline.unref();
    try {
      await app.close();
      logger.info('stopped');
      exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      exit(1);
    } finally {
      clearTimeout(cut);
      clearTimeout(deadline);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
