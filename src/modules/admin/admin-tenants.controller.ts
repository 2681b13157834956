import { Body, Controller, Get, Param, Patch, Post, UseGuards, UsePipes } from '@nestjs/common';
import { TenantsService, type TenantView } from '../tenants/tenants.service.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { CreateTenantDto, UpdateTenantDto } from './dto/tenant.dto.js';

@Controller('admin/tenants')
@UseGuards(AdminTokenGuard)
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant' }), AdminValidationPipe)
export class AdminTenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  create(@Body() body: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(body);
  }

  @Get()
  list(): Promise<TenantView[]> {
    return this.tenants.list();
  }

  @Get(':tenantId')
  get(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.tenants.get(tenantId);
  }

  @Patch(':tenantId')
  update(@Param('tenantId') tenantId: string, @Body() body: UpdateTenantDto): Promise<TenantView> {
    return this.tenants.updateSettings(tenantId, body.settings);
  }
}
