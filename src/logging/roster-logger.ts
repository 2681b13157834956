import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/roster-options.js';
import { redactForLog, redactText } from './redact.js';
import { turnBufferedStdout } from './turn-buffered-stdout.js';

export type RosterLogger = Logger;

/**
 * The one logger of the standalone service: pino, JSON lines (stdout unless told otherwise),
 * shared by Fastify (`request.log`) and Nest (`NestPinoLogger`). Redaction happens here, at the
 * logger, so no caller can forget it: every record object is searched for secrets
 * (`redactForLog`), and so is every message string. Stdout is written once per loop turn
 * (turn-buffered-stdout.ts).
 */
export function createRosterLogger(level: LogLevel, destination?: DestinationStream): RosterLogger {
  const options = {
    level,
    timestamp: isoTimeOncePerMillisecond(),
    // redactForLog has already made errors plain objects (with their causes); pino's serializer would rename them "Object".
    serializers: { err: (error: unknown) => error },
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (record: Record<string, unknown>) => redactForLog(record),
    },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...args: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg: unknown) => (typeof arg === 'string' ? redactText(arg) : arg)),
        );
      },
    },
  };
  return pino(options, destination ?? turnBufferedStdout());
}

/**
 * pino's `isoTime` field (`,"time":"2026-11-30T17:33:12.345Z"`), formatted once per millisecond:
 * a busy replica writes several lines within one, and formatting a date cost more than the rest of
 * the timestamp's share of a request line.
 */
function isoTimeOncePerMillisecond(): () => string {
  let formattedAt = Number.NaN;
  let field = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      field = `,"time":"${new Date(now).toISOString()}"`;
    }
    return field;
  };
}
