import { etagOf } from '../../scim/etag.js';
import { isRecord, type ScimObject } from '../../scim/patch/scim-json.js';
import type { AttributeValues, ResourceDefinition, StoredResource } from './resource-definition.js';

/** The derived attributes of one resource (a user's `groups`, a group's `members`), by name. */
export type LoadedAttributes = ReadonlyMap<string, AttributeValues>;

/**
 * Stored row → SCIM JSON (RFC 7643 §3.1) with a complete `meta`. Loaded attributes sit just
 * before `meta`, an extension's (`urn:…:name`) inside its extension object with its URN in
 * `schemas` (RFC 7643 §3.3); an empty one is left out (RFC 7644 §3.4.2.5 omits unassigned values).
 */
export function toScimResource(definition: ResourceDefinition, row: StoredResource, scimBaseUrl: string, loaded?: LoadedAttributes): ScimObject {
  const { schemas, ...attributes } = row.data;
  const resource: ScimObject = { schemas, id: row.id, ...attributes };
  for (const [name, values] of loaded ?? []) if (values.length > 0) setLoaded(resource, name, values);
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

function setLoaded(resource: ScimObject, name: string, values: AttributeValues): void {
  const split = name.lastIndexOf(':');
  if (split < 0) {
    resource[name] = values;
    return;
  }
  const urn = name.slice(0, split);
  const extension = isRecord(resource[urn]) ? { ...(resource[urn] as ScimObject) } : {};
  extension[name.slice(split + 1)] = values;
  resource[urn] = extension;
  const schemas = Array.isArray(resource.schemas) ? (resource.schemas as unknown[]) : [];
  if (!schemas.includes(urn)) resource.schemas = [...schemas, urn];
}
