import { Body, Delete, Get, HttpCode, Param, Post, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminKeysService, type AdminKeyView } from '../admin-keys/admin-keys.service.js';
import { AdminController } from './admin-controller.decorator.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminKeyAnswer, MintedAdminKeyAnswer } from './dto/answers.dto.js';
import { CreateAdminKeyDto } from './dto/admin-key.dto.js';

/** DESIGN.md admin keys: ADMIN_TOKEN or a key bound to no tenant (admin:write to mint and revoke). */
@AdminController('admin/keys', 'Admin keys')
@UsePipes(new AdminIdPipe({ keyId: 'AdminKey' }))
export class AdminKeysController {
  constructor(private readonly keys: AdminKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Mint an admin key; the key is in this answer only and is stored hashed.' })
  @ApiCreatedResponse({ type: MintedAdminKeyAnswer, description: 'Created.' })
  create(@Body() body: CreateAdminKeyDto): Promise<AdminKeyView & { key: string }> {
    return this.keys.mint(body);
  }

  @Get()
  @ApiOperation({ summary: 'List admin keys (never the keys themselves).' })
  @ApiOkResponse({ type: [AdminKeyAnswer], description: 'OK.' })
  list(): Promise<AdminKeyView[]> {
    return this.keys.list();
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an admin key: at once on this replica, within 30 s on the others.' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revoke(@Param('keyId') keyId: string): Promise<void> {
    await this.keys.revoke(keyId);
  }
}
