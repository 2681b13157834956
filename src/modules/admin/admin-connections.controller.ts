import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards, UsePipes } from '@nestjs/common';
import type { IssuedToken } from '../auth/token.service.js';
import { ConnectionsService, type ConnectionView, type SecretTokenView } from '../connections/connections.service.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { CreateConnectionDto, MintTokenDto } from './dto/connection.dto.js';

@Controller('admin/tenants/:tenantId/connections')
@UseGuards(AdminTokenGuard)
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', connectionId: 'Connection', tokenId: 'Token' }), AdminValidationPipe)
export class AdminConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /** The client secret is in this answer only. */
  @Post()
  create(@Param('tenantId') tenantId: string, @Body() body: CreateConnectionDto) {
    return this.connections.create(asTenantId(tenantId), body);
  }

  @Get()
  list(@Param('tenantId') tenantId: string): Promise<ConnectionView[]> {
    return this.connections.list(asTenantId(tenantId));
  }

  @Delete(':connectionId')
  @HttpCode(204)
  async revoke(@Param('tenantId') tenantId: string, @Param('connectionId') connectionId: string): Promise<void> {
    await this.connections.revoke(asTenantId(tenantId), connectionId);
  }

  /** A long-lived secret token (what Entra ID's "Secret Token" field wants), shown once. */
  @Post(':connectionId/tokens')
  async mintToken(
    @Param('tenantId') tenantId: string,
    @Param('connectionId') connectionId: string,
    @Body() body: MintTokenDto,
  ): Promise<Pick<IssuedToken, 'id' | 'token' | 'expiresAt'>> {
    const { id, token, expiresAt } = await this.connections.mintSecretToken(asTenantId(tenantId), connectionId, body.expiresInDays);
    return { id, token, expiresAt };
  }

  @Get(':connectionId/tokens')
  listTokens(@Param('tenantId') tenantId: string, @Param('connectionId') connectionId: string): Promise<SecretTokenView[]> {
    return this.connections.listSecretTokens(asTenantId(tenantId), connectionId);
  }

  @Delete(':connectionId/tokens/:tokenId')
  @HttpCode(204)
  async revokeToken(
    @Param('tenantId') tenantId: string,
    @Param('connectionId') connectionId: string,
    @Param('tokenId') tokenId: string,
  ): Promise<void> {
    await this.connections.revokeSecretToken(asTenantId(tenantId), connectionId, tokenId);
  }
}
