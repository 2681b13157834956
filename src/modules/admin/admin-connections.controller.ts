import { Body, Delete, Get, HttpCode, Param, Post, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { IssuedToken } from '../auth/token.service.js';
import { ConnectionsService, type ConnectionHealthView, type SecretTokenView } from '../connections/connections.service.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AdminController } from './admin-controller.decorator.js';
import { ConnectionHealthAnswer, CreatedConnectionAnswer, MintedTokenAnswer, SecretTokenAnswer } from './dto/answers.dto.js';
import { CreateConnectionDto, MintTokenDto } from './dto/connection.dto.js';

@AdminController('admin/tenants/:tenantId/connections', 'Connections')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', connectionId: 'Connection', tokenId: 'Token' }))
export class AdminConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /** The client secret is in this answer only. */
  @Post()
  @ApiOperation({ summary: "Create an API connection for an IdP; the answer holds its client secret, once." })
  @ApiCreatedResponse({ type: CreatedConnectionAnswer, description: 'Created.' })
  create(@Param('tenantId') tenantId: string, @Body() body: CreateConnectionDto) {
    return this.connections.create(asTenantId(tenantId), body);
  }

  @Get()
  @ApiOperation({ summary: "List a tenant's connections (never their secrets)." })
  @ApiOkResponse({ type: [ConnectionHealthAnswer], description: 'OK, with each connection\'s last use, its writes of the last 24 h and its last refused write.' })
  list(@Param('tenantId') tenantId: string): Promise<ConnectionHealthView[]> {
    return this.connections.list(asTenantId(tenantId));
  }

  @Delete(':connectionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a connection: its tokens stop working within 30 s on every replica.' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revoke(@Param('tenantId') tenantId: string, @Param('connectionId') connectionId: string): Promise<void> {
    await this.connections.revoke(asTenantId(tenantId), connectionId);
  }

  /** A long-lived secret token (what Entra ID's "Secret Token" field wants), shown once. */
  @Post(':connectionId/tokens')
  @ApiOperation({ summary: 'Mint a long-lived secret token (what Entra ID\'s "Secret Token" field wants); shown once.' })
  @ApiCreatedResponse({ type: MintedTokenAnswer, description: 'Created.' })
  async mintToken(
    @Param('tenantId') tenantId: string,
    @Param('connectionId') connectionId: string,
    @Body() body: MintTokenDto,
  ): Promise<Pick<IssuedToken, 'id' | 'token' | 'expiresAt'>> {
    const { id, token, expiresAt } = await this.connections.mintSecretToken(asTenantId(tenantId), connectionId, body.expiresInDays);
    return { id, token, expiresAt };
  }

  @Get(':connectionId/tokens')
  @ApiOperation({ summary: "List a connection's secret tokens (never the tokens themselves)." })
  @ApiOkResponse({ type: [SecretTokenAnswer], description: 'OK.' })
  listTokens(@Param('tenantId') tenantId: string, @Param('connectionId') connectionId: string): Promise<SecretTokenView[]> {
    return this.connections.listSecretTokens(asTenantId(tenantId), connectionId);
  }

  @Delete(':connectionId/tokens/:tokenId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a secret token.' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  async revokeToken(
    @Param('tenantId') tenantId: string,
    @Param('connectionId') connectionId: string,
    @Param('tokenId') tokenId: string,
  ): Promise<void> {
    await this.connections.revokeSecretToken(asTenantId(tenantId), connectionId, tokenId);
  }
}
