import { Body, Get, Param, Patch, Post, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantsService, type TenantView } from '../tenants/tenants.service.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminController } from './admin-controller.decorator.js';
import { TenantAnswer } from './dto/answers.dto.js';
import { CreateTenantDto, UpdateTenantDto } from './dto/tenant.dto.js';

@AdminController('admin/tenants', 'Tenants')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant' }))
export class AdminTenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant; its role catalog is seeded with the system roles.' })
  @ApiCreatedResponse({ type: TenantAnswer, description: 'Created.' })
  create(@Body() body: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List tenants.' })
  @ApiOkResponse({ type: [TenantAnswer], description: 'OK.' })
  list(): Promise<TenantView[]> {
    return this.tenants.list();
  }

  @Get(':tenantId')
  @ApiOperation({ summary: 'Read a tenant.' })
  @ApiOkResponse({ type: TenantAnswer, description: 'OK.' })
  get(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.tenants.get(tenantId);
  }

  @Patch(':tenantId')
  @ApiOperation({ summary: "Change a tenant's settings (rate limits are picked up within 5 s)." })
  @ApiOkResponse({ type: TenantAnswer, description: 'OK.' })
  update(@Param('tenantId') tenantId: string, @Body() body: UpdateTenantDto): Promise<TenantView> {
    return this.tenants.updateSettings(tenantId, body.settings);
  }
}
