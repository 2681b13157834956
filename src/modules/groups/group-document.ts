import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import { memberIds } from '../../scim/patch/member-operations.js';
import { getMember, isRecord, type ScimObject } from '../../scim/patch/scim-json.js';
import { ACCESS_GROUP_SCHEMA } from '../../scim/schemas/index.js';

/** Longest folded displayName key, as for userName (NFKC can lengthen a name). */
export const DISPLAY_NAME_KEY_MAX_LENGTH = 512;

/** What a validated Group says, split into what is stored where. */
export interface GroupDocument {
  /** The document as stored: no id, meta or members. */
  readonly data: ScimObject;
  readonly displayName: string;
  readonly displayNameKey: string;
  /** The role named in the access extension, if the client named one. */
  readonly roleName?: string;
  /** Member ids the body lists; undefined when it has no `members`. */
  readonly memberIds?: readonly string[];
}

/** Splits a validated Group; `id`, `meta` and `members` never enter `data`. */
export function toGroupDocument(validated: ScimObject): GroupDocument {
  const { id: _id, meta: _meta, members, ...data } = validated;
  const displayName = data.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') throw ScimError.invalidValue('displayName is required.');
  const displayNameKey = caseFold(displayName);
  if (displayNameKey.length > DISPLAY_NAME_KEY_MAX_LENGTH) throw ScimError.invalidValue('displayName is too long once normalised for comparison.');
  const access = getMember(data, ACCESS_GROUP_SCHEMA);
  const role = isRecord(access) ? getMember(access, 'role') : undefined;
  return {
    data,
    displayName,
    displayNameKey,
    ...(typeof role === 'string' && role.trim() !== '' ? { roleName: role.trim() } : {}),
    ...(members === undefined ? {} : { memberIds: memberIds(members, 'members') }),
  };
}

/**
 * Entra ID sends a schema URI of its own on group creation (…/ADSCIM/2.0/Group) next to the core
 * one. RFC 7643 §3 would refuse it; a URI that names no schema we know and holds no attributes
 * in the body is dropped instead, so provisioning works.
 */
export function withoutForeignSchemas(body: unknown, known: readonly string[]): unknown {
  if (!isRecord(body) || !Array.isArray(body.schemas)) return body;
  const knownLower = new Set(known.map((urn) => urn.toLowerCase()));
  const schemas = body.schemas.filter(
    (urn) => typeof urn !== 'string' || knownLower.has(urn.toLowerCase()) || getMember(body, urn) !== undefined,
  );
  return { ...body, schemas };
}
