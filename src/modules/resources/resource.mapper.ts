import { etagOf } from '../../scim/etag.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { ResourceDefinition, StoredResource } from './resource-definition.js';

/** The derived attributes of one resource (a user's `groups`, a group's `members`), by name. */
export type LoadedAttributes = ReadonlyMap<string, readonly ScimObject[]>;

/**
 * Stored row → SCIM JSON (RFC 7643 §3.1) with a complete `meta`. Loaded attributes sit just
 * before `meta`; an empty one is left out (RFC 7644 §3.4.2.5 omits unassigned values).
 */
export function toScimResource(definition: ResourceDefinition, row: StoredResource, scimBaseUrl: string, loaded?: LoadedAttributes): ScimObject {
  const { schemas, ...attributes } = row.data;
  const resource: ScimObject = { schemas, id: row.id, ...attributes };
  for (const [name, values] of loaded ?? []) if (values.length > 0) resource[name] = values;
  const { name, endpoint } = definition.type.discovery;
  resource.meta = {
    resourceType: name,
    created: row.createdAt,
    lastModified: row.lastModified,
    location: `${scimBaseUrl}${endpoint}/${row.id}`,
    version: etagOf(row.version),
  };
  return resource;
}
