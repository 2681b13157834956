import { Body, Controller, Get, HttpCode, Param, Post, UseGuards, UsePipes } from '@nestjs/common';
import { asTenantId } from '../../domain/tenant-id.js';
import { UsersService, type UserAccess } from '../users/users.service.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { PurgeDto } from './dto/role.dto.js';

@Controller('admin/tenants/:tenantId')
@UseGuards(AdminTokenGuard)
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', userId: 'User' }), AdminValidationPipe)
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get('users/:userId/access')
  access(@Param('tenantId') tenantId: string, @Param('userId') userId: string): Promise<UserAccess> {
    return this.users.access(asTenantId(tenantId), userId);
  }

  @Post('purge')
  @HttpCode(200)
  purge(@Param('tenantId') tenantId: string, @Body() body: PurgeDto): Promise<{ purged: number }> {
    return this.users.purge(asTenantId(tenantId), body.olderThanDays);
  }
}
