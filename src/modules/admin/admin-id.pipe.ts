import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { isRosterId } from '../../domain/resource-id.js';
import { ScimError } from '../../scim/errors.js';

/**
 * Admin path parameters that name a row by its id (`/admin/tenants/{tenantId}/roles/{roleId}`)
 * answer 404 unless they have the shape of an id Roster mints, before any service or SQL sees
 * them: `%00`, an unpaired surrogate or a 10 KB id names nothing on either database (SCIM
 * resources get the same check in the shared pipeline, `assertPossibleId`). One instance per
 * controller names each id parameter and what it names, for the 404's detail; pipes run after
 * the guards, so 401 still comes first.
 */
export class AdminIdPipe implements PipeTransform {
  private readonly nouns: ReadonlyMap<string, string>;

  constructor(nouns: Readonly<Record<string, string>>) {
    this.nouns = new Map(Object.entries(nouns));
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const noun = metadata.type === 'param' && metadata.data !== undefined ? this.nouns.get(metadata.data) : undefined;
    if (noun !== undefined && typeof value === 'string' && !isRosterId(value)) throw ScimError.notFound(noun, value);
    return value;
  }
}
