import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ScimError } from '../scim/errors.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../scim/json-depth.js';
import { ROSTER_OPTIONS } from '../config/injection-tokens.js';
import type { RosterOptions } from '../config/roster-options.js';
import { DirectAccessRead } from '../modules/access/direct-access-read.js';
import { AdminApiDocument } from '../modules/admin/openapi/admin-api-document.js';
import { DirectResourceRead } from '../modules/resources/direct-resource-read.js';
import { installDirectRoutes } from './direct-routes.js';
import { observeRequests } from './observe-requests.js';
import { errorDialectOf } from './roster-paths.js';

type Done = (error: Error | null, parsed?: unknown) => void;

/**
 * Registers what the HTTP adapter needs for SCIM: `application/scim+json` bodies parsed like
 * JSON (RFC 7644 §3.1) with Fastify's `__proto__`/`constructor` poisoning protection, and on
 * Roster's paths a nesting limit, checked before anything reads the body; and the hooks that
 * measure every answer (`GET /metrics`); and the app the admin API's OpenAPI document describes
 * (built on its first request); and the direct reads (src/http/direct-routes.ts). Call it once on
 * the app (host apps too) before `listen`/`init`, so that the hooks cover every route.
 */
export function configureRosterHttp(app: NestFastifyApplication): void {
  const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  const parser = (request: FastifyRequest, body: Buffer, done: Done) =>
    parseJson(request, body.toString('utf8'), (error, parsed) => {
      if (error) return done(error);
      if (errorDialectOf(request.url) !== 'other' && exceedsJsonDepth(parsed)) {
        return done(ScimError.invalidSyntax(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`));
      }
      done(null, parsed);
    });
  app.useBodyParser(['application/scim+json', 'application/json'], {}, parser);
  observeRequests(app);
  app.get(AdminApiDocument).attach(app);
  if (app.get<RosterOptions>(ROSTER_OPTIONS).directReads !== false) {
    installDirectRoutes(app.getHttpAdapter().getInstance(), [app.get(DirectResourceRead), app.get(DirectAccessRead)]);
  }
}
