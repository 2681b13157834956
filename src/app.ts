import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RosterOptions } from './config/roster-options.js';
import { configureRosterHttp } from './http/configure-http.js';
import { rosterFastifyOptions } from './http/fastify-options.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { createRosterLogger, type RosterLogger } from './logging/roster-logger.js';
import { RosterModule } from './roster.module.js';

/**
 * The standalone service: Roster alone on Fastify, ready to `listen`. One pino logger (JSON
 * lines at LOG_LEVEL) serves Fastify and Nest alike; `false` logs nothing (tests). Signals are
 * main.ts's business (`closeOnSignals`), so that tests and embedders decide when it stops.
 */
export async function createRosterApp(options: RosterOptions, logger: RosterLogger | false = createRosterLogger(options.logLevel)) {
  const app = await NestFactory.create<NestFastifyApplication>(
    RosterModule.forRoot(options),
    new FastifyAdapter(rosterFastifyOptions(options, logger || undefined)),
    { logger: logger ? new NestPinoLogger(logger) : false, abortOnError: false },
  );
  configureRosterHttp(app);
  // Standalone, every body Roster reads is JSON or a form: a text/plain body answers 415 like any other type.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  return app;
}
