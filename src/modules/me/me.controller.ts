import { All, UseGuards } from '@nestjs/common';
import { ScimController } from '../../http/scim-controller.decorator.js';
import { ScimError } from '../../scim/errors.js';
import { ScimAuthGuard } from '../auth/scim-auth.guard.js';
import { TenantThrottlerGuard } from '../rate-limit/tenant-throttler.guard.js';

/** RFC 7644 §3.11 /Me: Roster's tokens belong to API connections, not to users. */
@ScimController('Me')
@UseGuards(ScimAuthGuard, TenantThrottlerGuard)
export class MeController {
  @All()
  me(): never {
    throw ScimError.notImplemented('/Me is not supported: tokens belong to API connections, not to users.');
  }
}
