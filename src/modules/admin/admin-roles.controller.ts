import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards, UsePipes } from '@nestjs/common';
import { RolesService, type RoleView } from '../roles/roles.service.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto.js';

@Controller('admin/tenants/:tenantId/roles')
@UseGuards(AdminTokenGuard)
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', roleId: 'Role' }), AdminValidationPipe)
export class AdminRolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  list(@Param('tenantId') tenantId: string): Promise<RoleView[]> {
    return this.roles.list(asTenantId(tenantId));
  }

  @Post()
  create(@Param('tenantId') tenantId: string, @Body() body: CreateRoleDto): Promise<RoleView> {
    return this.roles.create(asTenantId(tenantId), body);
  }

  @Patch(':roleId')
  update(@Param('tenantId') tenantId: string, @Param('roleId') roleId: string, @Body() body: UpdateRoleDto): Promise<RoleView> {
    return this.roles.update(asTenantId(tenantId), roleId, body);
  }

  @Delete(':roleId')
  @HttpCode(204)
  async delete(@Param('tenantId') tenantId: string, @Param('roleId') roleId: string): Promise<void> {
    await this.roles.delete(asTenantId(tenantId), roleId);
  }
}
