import { Body, Delete, Get, HttpCode, Param, Patch, Post, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { RolesService, type RoleView } from '../roles/roles.service.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminController, AdminErrors } from './admin-controller.decorator.js';
import { RoleAnswer } from './dto/answers.dto.js';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto.js';

@AdminController('admin/tenants/:tenantId/roles', 'Role catalog')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', roleId: 'Role' }))
export class AdminRolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's role catalog." })
  @ApiOkResponse({ type: [RoleAnswer], description: 'OK.' })
  list(@Param('tenantId') tenantId: string): Promise<RoleView[]> {
    return this.roles.list(asTenantId(tenantId));
  }

  @Post()
  @ApiOperation({ summary: 'Add a custom role.' })
  @ApiCreatedResponse({ type: RoleAnswer, description: 'Created.' })
  @AdminErrors(409)
  create(@Param('tenantId') tenantId: string, @Body() body: CreateRoleDto): Promise<RoleView> {
    return this.roles.create(asTenantId(tenantId), body);
  }

  @Patch(':roleId')
  @ApiOperation({ summary: 'Rename a custom role, describe it, or make it unique.' })
  @ApiOkResponse({ type: RoleAnswer, description: 'OK.' })
  @AdminErrors(409)
  update(@Param('tenantId') tenantId: string, @Param('roleId') roleId: string, @Body() body: UpdateRoleDto): Promise<RoleView> {
    return this.roles.update(asTenantId(tenantId), roleId, body);
  }

  @Delete(':roleId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a custom role that no group grants.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @AdminErrors(409)
  async delete(@Param('tenantId') tenantId: string, @Param('roleId') roleId: string): Promise<void> {
    await this.roles.delete(asTenantId(tenantId), roleId);
  }
}
