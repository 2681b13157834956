import type { LoggerService } from '@nestjs/common';
import type { RosterLogger } from './roster-logger.js';

/** Nest's start-up chatter (modules loaded, each route mapped): useful when debugging, noise otherwise. */
const BOOTSTRAP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's LoggerService on the service's pino logger, so that `new Logger('Bulk').error(…)` and
 * Nest's own messages come out as the same JSON lines as Fastify's. Nest passes
 * `(message, ...params, context)`, and for errors `(message, stack, context)`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: RosterLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write(BOOTSTRAP_CONTEXTS.has(String(params.at(-1))) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const extra = context === undefined ? params : params.slice(0, -1);
    const stack = extra.find((param): param is string => typeof param === 'string');
    const fields: Record<string, unknown> = { context };
    if (stack !== undefined) fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.logger[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
