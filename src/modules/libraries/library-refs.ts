import type { TenantId } from '../../domain/tenant-id.js';
import { getMember, isRecord, type ScimObject, setMember } from '../../scim/patch/scim-json.js';
import type { AttributeLoader, AttributeValues, InlineValues } from '../resources/resource-definition.js';
import type { LibraryRef } from './library-grants.repository.js';

/**
 * A document's `libraries` taken out of its access extension (grants are stored as rows, not in
 * the document): the document without them, and the names or ids it lists. An extension left
 * empty goes, with its URN in `schemas`.
 */
export function takeLibraryRefs(data: ScimObject, extensionUrn: string): { readonly data: ScimObject; readonly refs: string[] } {
  const extension = getMember(data, extensionUrn);
  if (!isRecord(extension)) return { data, refs: [] };
  const libraries = getMember(extension, 'libraries');
  const refs = Array.isArray(libraries) ? libraries.flatMap((grant) => (isRecord(grant) && typeof grant.value === 'string' ? [grant.value] : [])) : [];
  const rest: ScimObject = Object.fromEntries(Object.entries(extension).filter(([key]) => key.toLowerCase() !== 'libraries'));
  const result: ScimObject = Object.fromEntries(Object.entries(data).filter(([key]) => key.toLowerCase() !== extensionUrn.toLowerCase()));
  if (Object.keys(rest).length > 0) setMember(result, extensionUrn, rest);
  else if (Array.isArray(data.schemas)) result.schemas = data.schemas.filter((urn) => typeof urn !== 'string' || urn.toLowerCase() !== extensionUrn.toLowerCase());
  return { data: result, refs };
}

/** The document with the holder's current grants in its access extension, for a PATCH to work on (RFC 7644 §3.5.2). */
export function withLibraryRefs(data: ScimObject, extensionUrn: string, grants: readonly LibraryRef[]): ScimObject {
  if (grants.length === 0) return data;
  const extension = getMember(data, extensionUrn);
  const result: ScimObject = { ...data };
  setMember(result, extensionUrn, { ...(isRecord(extension) ? extension : {}), libraries: grants.map((grant) => ({ value: grant.id })) });
  const schemas = Array.isArray(data.schemas) ? (data.schemas as unknown[]) : [];
  if (!schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === extensionUrn.toLowerCase())) result.schemas = [...schemas, extensionUrn];
  return result;
}

/** The references a library loader answers for these grants, as its attribute's values. */
export function libraryRefValues(scimBaseUrl: string, refs: readonly LibraryRef[]): AttributeValues {
  return refs.map((ref) => libraryRefValue(scimBaseUrl, ref));
}

function libraryRefValue(scimBaseUrl: string, ref: LibraryRef): ScimObject {
  return { value: ref.id, display: ref.displayName, $ref: `${scimBaseUrl}/Libraries/${ref.id}` };
}

/**
 * A loader of library references (`{value, display, $ref}`) for an attribute such as
 * `urn:…:User:libraries`; with `inline`, the same references as a subquery of `id`,
 * `display_name` rows (one round trip for GET by id).
 */
export function libraryRefsLoader(
  attribute: string,
  scimBaseUrl: string,
  load: (tenant: TenantId, ids: readonly string[]) => Promise<ReadonlyMap<string, readonly LibraryRef[]>>,
  inline?: Omit<InlineValues, 'toValues'>,
): AttributeLoader {
  const toRef = (ref: LibraryRef) => libraryRefValue(scimBaseUrl, ref);
  const forPage = async (tenant: TenantId, ids: readonly string[]): Promise<ReadonlyMap<string, AttributeValues>> => {
    const byHolder = await load(tenant, ids);
    return new Map([...byHolder].map(([id, refs]) => [id, refs.map(toRef)]));
  };
  return {
    attribute,
    streamed: false,
    ...(inline === undefined ? {} : { inline: { ...inline, toValues: (rows) => rows.map(([id, displayName]) => toRef({ id: String(id), displayName: String(displayName) })) } }),
    forPage,
    async *pagesOf(tenant: TenantId, id: string): AsyncGenerator<AttributeValues> {
      yield (await forPage(tenant, [id])).get(id) ?? [];
    },
  };
}
