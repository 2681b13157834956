import type { UserEntity } from '../../database/entities/user.entity.js';
import { etagOf } from '../../http/etag.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';

/** Entity → SCIM User JSON (RFC 7643 §4.1) with a complete `meta`; the password never leaves. */
export function toScimUser(user: UserEntity, scimBaseUrl: string): ScimObject {
  const { schemas, ...attributes } = user.data;
  return {
    schemas,
    id: user.id,
    ...attributes,
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: user.lastModified,
      location: `${scimBaseUrl}/Users/${user.id}`,
      version: etagOf(user.version),
    },
  };
}
