import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { SCIM_PREFIX } from './roster-paths.js';

interface Route {
  readonly pattern: RegExp;
  readonly method: string;
}

/**
 * The SCIM routes Roster serves, read from the controllers' own metadata at start-up, so that
 * a request for a known path with the wrong method can be answered 405 with `Allow`
 * (RFC 9110 §15.5.6) instead of the router's plain 404.
 */
@Injectable()
export class ScimRouteTable implements OnApplicationBootstrap {
  private routes: Route[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    this.routes = this.discovery.getControllers().flatMap((wrapper) => {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) return [];
      const base = this.reflector.get<string>(PATH_METADATA, metatype) ?? '';
      const prototype = Object.getPrototypeOf(instance) as object;
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') return [];
        const path = this.reflector.get<string | undefined>(PATH_METADATA, handler);
        const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        if (path === undefined || method === undefined || method === RequestMethod.ALL) return [];
        const full = '/' + [base, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
        if (!full.toLowerCase().startsWith(SCIM_PREFIX.toLowerCase())) return [];
        return [{ pattern: toPattern(full), method: RequestMethod[method] }];
      });
    });
  }

  /** The methods served at a concrete path; empty when no route matches it. */
  allowedMethods(path: string): string[] {
    const methods = new Set(this.routes.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

function toPattern(path: string): RegExp {
  const escaped = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}
