import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards, UsePipes } from '@nestjs/common';
import { asTenantId } from '../../domain/tenant-id.js';
import { LibrariesService, type LibraryView } from '../libraries/libraries.service.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { CreateLibraryDto, UpdateLibraryDto } from './dto/library.dto.js';

@Controller('admin/tenants/:tenantId/libraries')
@UseGuards(AdminTokenGuard)
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', libraryId: 'Library' }), AdminValidationPipe)
export class AdminLibrariesController {
  constructor(private readonly libraries: LibrariesService) {}

  @Get()
  list(@Param('tenantId') tenantId: string): Promise<LibraryView[]> {
    return this.libraries.listViews(asTenantId(tenantId));
  }

  @Get(':libraryId')
  get(@Param('tenantId') tenantId: string, @Param('libraryId') libraryId: string): Promise<LibraryView> {
    return this.libraries.view(asTenantId(tenantId), libraryId);
  }

  @Post()
  create(@Param('tenantId') tenantId: string, @Body() body: CreateLibraryDto): Promise<LibraryView> {
    return this.libraries.create(asTenantId(tenantId), body);
  }

  @Patch(':libraryId')
  update(@Param('tenantId') tenantId: string, @Param('libraryId') libraryId: string, @Body() body: UpdateLibraryDto): Promise<LibraryView> {
    return this.libraries.update(asTenantId(tenantId), libraryId, body);
  }

  @Delete(':libraryId')
  @HttpCode(204)
  async delete(@Param('tenantId') tenantId: string, @Param('libraryId') libraryId: string): Promise<void> {
    await this.libraries.delete(asTenantId(tenantId), libraryId);
  }
}
