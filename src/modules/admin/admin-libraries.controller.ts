import { Body, Delete, Get, HttpCode, Param, Patch, Post, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { asTenantId } from '../../domain/tenant-id.js';
import { LibrariesService, type LibraryView } from '../libraries/libraries.service.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminController, AdminErrors } from './admin-controller.decorator.js';
import { LibraryAnswer } from './dto/answers.dto.js';
import { CreateLibraryDto, UpdateLibraryDto } from './dto/library.dto.js';

@AdminController('admin/tenants/:tenantId/libraries', 'Libraries')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', libraryId: 'Library' }))
export class AdminLibrariesController {
  constructor(private readonly libraries: LibrariesService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's libraries." })
  @ApiOkResponse({ type: [LibraryAnswer], description: 'OK.' })
  list(@Param('tenantId') tenantId: string): Promise<LibraryView[]> {
    return this.libraries.listViews(asTenantId(tenantId));
  }

  @Get(':libraryId')
  @ApiOperation({ summary: 'Read a library.' })
  @ApiOkResponse({ type: LibraryAnswer, description: 'OK.' })
  get(@Param('tenantId') tenantId: string, @Param('libraryId') libraryId: string): Promise<LibraryView> {
    return this.libraries.view(asTenantId(tenantId), libraryId);
  }

  @Post()
  @ApiOperation({ summary: 'Create a library.' })
  @ApiCreatedResponse({ type: LibraryAnswer, description: 'Created.' })
  @AdminErrors(409)
  create(@Param('tenantId') tenantId: string, @Body() body: CreateLibraryDto): Promise<LibraryView> {
    return this.libraries.create(asTenantId(tenantId), body);
  }

  @Patch(':libraryId')
  @ApiOperation({ summary: 'Change a library; null clears description or externalId.' })
  @ApiOkResponse({ type: LibraryAnswer, description: 'OK.' })
  @AdminErrors(409)
  update(@Param('tenantId') tenantId: string, @Param('libraryId') libraryId: string, @Body() body: UpdateLibraryDto): Promise<LibraryView> {
    return this.libraries.update(asTenantId(tenantId), libraryId, body);
  }

  @Delete(':libraryId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a library and every grant of it.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async delete(@Param('tenantId') tenantId: string, @Param('libraryId') libraryId: string): Promise<void> {
    await this.libraries.delete(asTenantId(tenantId), libraryId);
  }
}
