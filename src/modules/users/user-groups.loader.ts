import { Inject, Injectable } from '@nestjs/common';
import { SCIM_BASE_URL } from '../../config/injection-tokens.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { GroupMembershipService } from '../groups/group-membership.service.js';
import type { GroupRef } from '../groups/group-ref.js';
import type { AttributeLoader, AttributeValues, InlineValues } from '../resources/resource-definition.js';

/** RFC 7643 §4.1.2 `groups`: readOnly, derived from memberships, direct only (no nested groups). */
@Injectable()
export class UserGroupsLoader implements AttributeLoader {
  readonly attribute = 'groups';
  readonly streamed = false;

  constructor(
    private readonly membership: GroupMembershipService,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
  ) {}

  /** The rows groupsOfUsers reads (same order), for the user aliased `r` in its own SELECT. */
  readonly inline: InlineValues = {
    columns: ['g.id', 'g.display_name'],
    from: 'group_members m JOIN groups g ON g.id = m.group_id WHERE m.tenant_id = r.tenant_id AND m.member_id = r.id',
    orderBy: ['g.display_name_key', 'g.id'],
    toValues: (rows) => rows.map(([id, displayName]) => this.toValue({ id: String(id), displayName: String(displayName) })),
  };

  async forPage(tenant: TenantId, ids: readonly string[]): Promise<ReadonlyMap<string, AttributeValues>> {
    const byUser = await this.membership.groupsOfUsers(tenant, ids);
    return new Map([...byUser].map(([id, groups]) => [id, groups.map((group) => this.toValue(group))]));
  }

  private toValue(group: Pick<GroupRef, 'id' | 'displayName'>) {
    return { value: group.id, $ref: `${this.scimBaseUrl}/Groups/${group.id}`, display: group.displayName, type: 'direct' };
  }

  async *pagesOf(tenant: TenantId, id: string): AsyncGenerator<AttributeValues> {
    yield (await this.forPage(tenant, [id])).get(id) ?? [];
  }
}
