import { Inject, Injectable } from '@nestjs/common';
import { ROSTER_OPTIONS, SCIM_BASE_URL } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimError } from '../../scim/errors.js';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { AttributeLoader, AttributeValues } from '../resources/resource-definition.js';
import { GroupMembershipRepository, type MemberRow } from './group-membership.repository.js';

/**
 * A group's `members` (RFC 7643 §4.2), read from `group_members`: streamed page by page by GET
 * /Groups/{id}, held in memory for a list page up to the `listMemberLimit` option.
 */
@Injectable()
export class GroupMembersLoader implements AttributeLoader {
  readonly attribute = 'members';
  readonly streamed = true;
  private readonly listMemberLimit: number;

  constructor(
    private readonly memberships: GroupMembershipRepository,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
    @Inject(ROSTER_OPTIONS) options: RosterOptions,
  ) {
    this.listMemberLimit = options.listMemberLimit;
  }

  /**
   * A list answer holds its groups' members in memory, so a page whose groups hold more than the
   * limit together is refused instead of exhausting the process: `tooMany` (RFC 7644 §3.12)
   * tells the client to ask for less.
   */
  async forPage(tenant: TenantId, ids: readonly string[]): Promise<ReadonlyMap<string, AttributeValues>> {
    const total = await this.memberships.memberCount(tenant, ids);
    if (total > this.listMemberLimit) {
      throw ScimError.tooMany(
        `These ${ids.length} groups have ${total} members together, over the ${this.listMemberLimit} a list answer carries; ` +
          'list with excludedAttributes=members (or a smaller count) and read large groups with GET /Groups/{id}.',
      );
    }
    const byGroup = new Map<string, ScimObject[]>();
    for (const id of ids) {
      const members: ScimObject[] = [];
      for await (const page of this.pagesOf(tenant, id)) members.push(...page);
      byGroup.set(id, members);
    }
    return byGroup;
  }

  async *pagesOf(tenant: TenantId, id: string): AsyncGenerator<ScimObject[]> {
    for await (const page of this.memberships.members(tenant, id)) yield page.map((member) => this.toMemberValue(member));
  }

  private toMemberValue(member: MemberRow): ScimObject {
    return { value: member.id, $ref: `${this.scimBaseUrl}/Users/${member.id}`, display: member.display, type: 'User' };
  }
}
