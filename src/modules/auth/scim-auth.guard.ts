import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ScimError } from '../../scim/errors.js';
import { SCIM_BEARER } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { REQUIRED_SCOPES } from './require-scopes.decorator.js';
import type { Scope } from '../../domain/scopes.js';

/** Bearer token → principal (401 without one), then the scopes of `@RequireScopes` (403). */
@Injectable()
export class ScimAuthGuard extends AuthGuard(SCIM_BEARER) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getAuthenticateOptions() {
    return { session: false };
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    const required =
      this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [];
    const missing = required.filter((scope) => !principal?.scopes.includes(scope));
    if (missing.length > 0) throw ScimError.forbidden(`The token lacks the scope ${missing.join(', ')}.`);
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (!user) {
      const sentToken = typeof info === 'string' && info.includes('invalid_token');
      throw sentToken ? ScimError.invalidToken() : ScimError.unauthorized();
    }
    return user;
  }
}
