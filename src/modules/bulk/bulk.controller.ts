import { Body, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { TenantId } from '../../domain/tenant-id.js';
import { ScimController } from '../../http/scim-controller.decorator.js';
import type { BulkResponse } from '../../scim/bulk/run-bulk.js';
import { RequireScopes } from '../auth/require-scopes.decorator.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { Tenant } from '../auth/tenant.decorator.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';
import { BulkService } from './bulk.service.js';

/** RFC 7644 §3.7: 200 with a BulkResponse; each operation's own status is inside it. */
@ScimController('Bulk')
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post()
  @HttpCode(200)
  @RequireScopes('scim.write')
  run(@Tenant() tenant: TenantId, @Body() body: unknown): Promise<BulkResponse> {
    return this.bulk.run(tenant, body);
  }
}
