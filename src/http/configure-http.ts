import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Registers what the HTTP adapter needs for SCIM: `application/scim+json` bodies parsed like
 * JSON (RFC 7644 §3.1), with the same `__proto__`/`constructor` poisoning protection. Call it
 * once on the app (host apps too) before `listen`/`init`.
 */
export function configureRosterHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/scim+json', {}, (request: FastifyRequest, body: Buffer, done) =>
    parseJson(request, body.toString('utf8'), done),
  );
}
