import { Body, Get, HttpCode, Param, Post, UsePipes } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { asTenantId } from '../../domain/tenant-id.js';
import { UserPurge } from '../users/user-purge.js';
import { UsersService, type UserAccess } from '../users/users.service.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { RequireAdminScope } from './admin-scope.decorator.js';
import { AdminController } from './admin-controller.decorator.js';
import { PurgeAnswer, UserAccessAnswer } from './dto/answers.dto.js';
import { PurgeDto } from './dto/role.dto.js';

@AdminController('admin/tenants/:tenantId', 'Users')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', userId: 'User' }))
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly purges: UserPurge,
  ) {}

  @Get('users/:userId/access')
  @RequireAdminScope('access:read')
  @ApiOperation({ summary: "A user's effective access: what the rest of the platform asks." })
  @ApiOkResponse({ type: UserAccessAnswer, description: 'OK.' })
  access(@Param('tenantId') tenantId: string, @Param('userId') userId: string): Promise<UserAccess> {
    return this.users.access(asTenantId(tenantId), userId);
  }

  @Post('purge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hard-delete users soft-deleted more than olderThanDays days ago.' })
  @ApiOkResponse({ type: PurgeAnswer, description: 'OK.' })
  purge(@Param('tenantId') tenantId: string, @Body() body: PurgeDto): Promise<{ purged: number }> {
    return this.purges.purge(asTenantId(tenantId), body.olderThanDays);
  }
}
