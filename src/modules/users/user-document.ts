import { USER_NAME_KEY_MAX_LENGTH } from '../../database/entities/user.entity.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';

/** What a validated User document says, split into what is stored where. */
export interface UserDocument {
  /** The document as stored: no id, meta or password. */
  readonly data: ScimObject;
  readonly userName: string;
  readonly userNameKey: string;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly active: boolean;
  /** Present only when the client sent one. */
  readonly password?: string;
  readonly roleNames: string[];
}

// A deliberately loose check (one @, no spaces, a dot in the domain): IdPs send UPNs that are
// not deliverable addresses, and the point is only to keep non-email names out.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Splits a validated User into stored parts; `id`, `meta` and `password` never enter `data`. */
export function toUserDocument(validated: ScimObject, userNameFormat: 'any' | 'email'): UserDocument {
  const { id: _id, meta: _meta, password, ...data } = validated;
  const userName = data.userName;
  if (typeof userName !== 'string' || userName.trim() === '') throw ScimError.invalidValue('userName is required.');
  if (userNameFormat === 'email' && !EMAIL.test(userName)) {
    throw ScimError.invalidValue(`userName ${JSON.stringify(userName)} must be an email address in this tenant.`);
  }
  const userNameKey = caseFold(userName);
  if (userNameKey.length > USER_NAME_KEY_MAX_LENGTH) {
    throw ScimError.invalidValue(`userName is too long once normalised for comparison (over ${USER_NAME_KEY_MAX_LENGTH} characters).`);
  }
  return {
    data,
    userName,
    userNameKey,
    externalId: typeof data.externalId === 'string' ? data.externalId : null,
    displayName: typeof data.displayName === 'string' ? data.displayName : null,
    // RFC 7643 §4.1.1 leaves an absent `active` to the provider: absent means active here.
    active: data.active !== false,
    password: typeof password === 'string' ? password : undefined,
    roleNames: roleNamesOf(data),
  };
}

/** The `value` of each entry of a User document's `roles`. */
export function roleNamesOf(data: ScimObject): string[] {
  const roles = data.roles;
  if (!Array.isArray(roles)) return [];
  return roles.flatMap((role) => {
    const value = typeof role === 'object' && role !== null ? (role as ScimObject).value : undefined;
    return typeof value === 'string' ? [value] : [];
  });
}

/** The same document with each role value replaced by the catalog's spelling of it. */
export function withCanonicalRoles(document: UserDocument, canonical: readonly string[]): UserDocument {
  if (!Array.isArray(document.data.roles)) return document;
  let index = 0;
  const roles = (document.data.roles as ScimObject[]).map((role) =>
    typeof role.value === 'string' ? { ...role, value: canonical[index++] ?? role.value } : role,
  );
  return { ...document, data: { ...document.data, roles }, roleNames: [...canonical] };
}
