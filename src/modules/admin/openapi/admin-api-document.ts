import { Inject, Injectable, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ROSTER_OPTIONS } from '../../../config/injection-tokens.js';
import type { RosterOptions } from '../../../config/roster-options.js';
import { ADMIN_PREFIX } from '../../../http/roster-paths.js';
import { ScimError } from '../../../scim/errors.js';
import { ADMIN_BEARER } from '../admin-controller.decorator.js';

/**
 * The admin API's OpenAPI 3.1 document, built from the admin controllers' own decorators (so it
 * cannot drift from the routes) and served by AdminDocsController. Only `/admin` paths: SCIM has
 * its own discovery (RFC 7643 §5–§7), and a host app's routes are the host's to describe. Built on
 * its first request, not at start: scanning the app costs some 120 ms of start-up (issue 15), and
 * most replicas are never asked for it.
 */
@Injectable()
export class AdminApiDocument {
  private app: INestApplication | null = null;
  private document: OpenAPIObject | null = null;

  constructor(@Inject(ROSTER_OPTIONS) private readonly options: RosterOptions) {}

  /** The app whose controllers the document describes; call once the app is created. */
  attach(app: INestApplication): void {
    this.app = app;
  }

  /** The document, or the admin API's 404 when it does not exist (no ADMIN_TOKEN, or no app attached). */
  get(path: string): OpenAPIObject {
    if (!this.options.adminToken || this.app === null) throw ScimError.routeNotFound(path);
    this.document ??= this.build(this.app);
    return this.document;
  }

  private build(app: INestApplication): OpenAPIObject {
    const config = new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Roster admin API')
      .setDescription(
        'Tenants, API connections, secret tokens, role catalogs, libraries and user access of a Roster SCIM service. ' +
          'Every route needs the admin bearer token (ADMIN_TOKEN); without ADMIN_TOKEN every /admin path answers 404. ' +
          'Errors are SCIM error bodies (RFC 7644 §3.12) as application/scim+json.',
      )
      .setVersion('1')
      .addServer(this.options.publicUrl)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, ADMIN_BEARER)
      .build();
    const document = SwaggerModule.createDocument(app, config);
    const paths = Object.entries(document.paths).filter(([path]) => path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`));
    return { ...document, paths: Object.fromEntries(paths) };
  }
}
