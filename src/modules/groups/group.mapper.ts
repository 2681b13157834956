import type { GroupEntity } from '../../database/entities/group.entity.js';
import { etagOf } from '../../http/etag.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { MemberRow } from './groups.repository.js';

/** Entity → SCIM Group JSON (RFC 7643 §4.2); `members` only when they were loaded. */
export function toScimGroup(group: GroupEntity, scimBaseUrl: string, members?: readonly MemberRow[]): ScimObject {
  const { schemas, ...attributes } = group.data;
  return {
    schemas,
    id: group.id,
    ...attributes,
    ...(members === undefined || members.length === 0 ? {} : { members: members.map((member) => toMemberValue(member, scimBaseUrl)) }),
    meta: {
      resourceType: 'Group',
      created: group.createdAt,
      lastModified: group.lastModified,
      location: `${scimBaseUrl}/Groups/${group.id}`,
      version: etagOf(group.version),
    },
  };
}

export function toMemberValue(member: MemberRow, scimBaseUrl: string): ScimObject {
  return { value: member.id, $ref: `${scimBaseUrl}/Users/${member.id}`, display: member.display, type: 'User' };
}
