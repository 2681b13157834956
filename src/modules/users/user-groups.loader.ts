import { Inject, Injectable } from '@nestjs/common';
import { SCIM_BASE_URL } from '../../config/injection-tokens.js';
import type { TenantId } from '../../domain/tenant-id.js';
import { GroupMembershipService } from '../groups/group-membership.service.js';
import type { AttributeLoader, AttributeValues } from '../resources/resource-definition.js';

/** RFC 7643 §4.1.2 `groups`: readOnly, derived from memberships, direct only (no nested groups). */
@Injectable()
export class UserGroupsLoader implements AttributeLoader {
  readonly attribute = 'groups';
  readonly streamed = false;

  constructor(
    private readonly membership: GroupMembershipService,
    @Inject(SCIM_BASE_URL) private readonly scimBaseUrl: string,
  ) {}

  async forPage(tenant: TenantId, ids: readonly string[]): Promise<ReadonlyMap<string, AttributeValues>> {
    const byUser = await this.membership.groupsOfUsers(tenant, ids);
    return new Map(
      [...byUser].map(([id, groups]) => [
        id,
        groups.map((group) => ({ value: group.id, $ref: `${this.scimBaseUrl}/Groups/${group.id}`, display: group.displayName, type: 'direct' })),
      ]),
    );
  }

  async *pagesOf(tenant: TenantId, id: string): AsyncGenerator<AttributeValues> {
    yield (await this.forPage(tenant, [id])).get(id) ?? [];
  }
}
