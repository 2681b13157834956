import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AdminApiDocument } from './admin-api-document.js';

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

// Relative URLs: the page works under whatever prefix a proxy serves /admin from.
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Roster admin API</title><link rel="stylesheet" href="docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="docs/swagger-ui-bundle.js"></script><script src="docs/init.js"></script></body>
</html>
`;

// A file rather than an inline script, so that a Content-Security-Policy without 'unsafe-inline' allows it.
const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * `GET /admin/openapi.json` and a Swagger UI page at `/admin/docs`, without the admin token (they
 * hold no tenant data) but only where the admin API exists: without ADMIN_TOKEN they answer 404
 * like every /admin path, so an install that turned the admin API off does not advertise it.
 * Swagger UI's files are served from the swagger-ui-dist package: the page loads nothing from
 * elsewhere.
 */
@ApiExcludeController()
@Controller('admin')
export class AdminDocsController {
  private readonly assets = new Map<string, Buffer>();

  constructor(private readonly document: AdminApiDocument) {}

  @Get('openapi.json')
  openApi(@Req() request: FastifyRequest): OpenAPIObject {
    return this.document.get(pathOf(request));
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  page(@Req() request: FastifyRequest): string {
    this.document.get(pathOf(request));
    return PAGE;
  }

  @Get('docs/init.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  init(@Req() request: FastifyRequest): string {
    this.document.get(pathOf(request));
    return INIT;
  }

  @Get('docs/swagger-ui.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  css(@Req() request: FastifyRequest): Buffer {
    this.document.get(pathOf(request));
    return this.asset('swagger-ui.css');
  }

  @Get('docs/swagger-ui-bundle.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  bundle(@Req() request: FastifyRequest): Buffer {
    this.document.get(pathOf(request));
    return this.asset('swagger-ui-bundle.js');
  }

  private asset(name: string): Buffer {
    let content = this.assets.get(name);
    if (content === undefined) {
      content = readFileSync(join(SWAGGER_UI, name));
      this.assets.set(name, content);
    }
    return content;
  }
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}
