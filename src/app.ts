import 'reflect-metadata';
import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel, RosterOptions } from './config/roster-options.js';
import { configureRosterHttp } from './http/configure-http.js';
import { rosterFastifyOptions } from './http/fastify-options.js';
import { RosterModule } from './roster.module.js';

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Structured JSON logs at the configured level (DESIGN.md `LOG_LEVEL`). */
export function createLogger(level: LogLevel): ConsoleLogger {
  return new ConsoleLogger('Roster', { json: true, logLevels: NEST_LEVELS[level] });
}

/** The standalone service: Roster alone on Fastify, ready to `listen`. */
export async function createRosterApp(options: RosterOptions, logger: ConsoleLogger | false = createLogger(options.logLevel)) {
  const app = await NestFactory.create<NestFastifyApplication>(
    RosterModule.forRoot(options),
    new FastifyAdapter(rosterFastifyOptions(options)),
    { logger, abortOnError: false },
  );
  configureRosterHttp(app);
  // Standalone, every body Roster reads is JSON or a form: a text/plain body answers 415 like any other type.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.enableShutdownHooks();
  return app;
}
