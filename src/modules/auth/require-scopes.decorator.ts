import { SetMetadata } from '@nestjs/common';
import type { Scope } from '../../domain/scopes.js';

export const REQUIRED_SCOPES = 'roster:required-scopes';

/** The scopes a handler needs; the SCIM auth guard answers 403 when the token lacks one. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);
