import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface ServedRoute {
  readonly method: string;
  /** As Nest declares it, with `:params`: `/admin/tenants/:tenantId`. */
  readonly path: string;
}

/** Every route the app's controllers declare, read from their metadata as the router reads it. */
export function servedRoutes(app: NestFastifyApplication): ServedRoute[] {
  const reflector = app.get(Reflector);
  const scanner = app.get(MetadataScanner);
  return app
    .get(DiscoveryService)
    .getControllers()
    .flatMap(({ instance, metatype }) => {
      if (!instance || !metatype) return [];
      const base = reflector.get<string | string[]>(PATH_METADATA, metatype) ?? '';
      const prototype = Object.getPrototypeOf(instance) as object;
      return scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') return [];
        const path = reflector.get<string | undefined>(PATH_METADATA, handler);
        const method = reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        if (path === undefined || method === undefined) return [];
        const full = '/' + [String(base), path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
        return [{ method: RequestMethod[method], path: full }];
      });
    });
}
