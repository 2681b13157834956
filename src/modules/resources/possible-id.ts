import { isRosterId } from '../../domain/resource-id.js';
import { ScimError } from '../../scim/errors.js';
import type { ResourceDefinition } from './resource-definition.js';

/**
 * RFC 7644 §3.4.1: an id that cannot name a row of this type (not a UUID, as Roster mints them:
 * `%00`, an unpaired surrogate, 10 KB) is the type's 404 before any SQL, whoever asks: its
 * endpoints, `/Bulk` operations, the admin API. PostgreSQL's driver would refuse some of them.
 */
export function assertPossibleId(definition: ResourceDefinition, id: string): void {
  if (!isRosterId(id)) throw ScimError.notFound(definition.type.discovery.name, id);
}
