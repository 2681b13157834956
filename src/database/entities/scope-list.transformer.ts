import type { ValueTransformer } from 'typeorm';
import { parseScopeList, type Scope } from '../../domain/scopes.js';

/** Scopes are stored as the space-delimited string OAuth uses on the wire (RFC 6749 §3.3). */
export const scopeListTransformer: ValueTransformer = {
  to: (scopes: readonly Scope[]): string => scopes.join(' '),
  from: (stored: string): Scope[] => parseScopeList(stored).scopes,
};
