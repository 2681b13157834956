import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, UsePipes } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { asTenantId } from '../../domain/tenant-id.js';
import type { WebhookDeliveryView } from '../webhooks/webhook-delivery.js';
import type { WebhookEndpointView, WebhookEndpointWithSecret } from '../webhooks/webhook-endpoint.js';
import { type DeliveriesPage, WebhooksService } from '../webhooks/webhooks.service.js';
import { AdminController, AdminErrors } from './admin-controller.decorator.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { WebhookAnswer, WebhookDeliveriesPageAnswer, WebhookDeliveryAnswer, WebhookWithSecretAnswer } from './dto/answers.dto.js';
import { CreateWebhookDto, DeliveriesQueryDto, RotateWebhookSecretDto, UpdateWebhookDto } from './dto/webhook.dto.js';

@AdminController('admin/tenants/:tenantId/webhooks', 'Webhooks')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant', webhookId: 'Webhook', deliveryId: 'Delivery' }))
export class AdminWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's webhook endpoints (never their secrets)." })
  @ApiOkResponse({ type: [WebhookAnswer], description: 'OK.' })
  list(@Param('tenantId') tenantId: string): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(asTenantId(tenantId));
  }

  @Post()
  @ApiOperation({ summary: 'Add a webhook endpoint; its signing secret is in this answer only.' })
  @ApiCreatedResponse({ type: WebhookWithSecretAnswer, description: 'Created.' })
  create(@Param('tenantId') tenantId: string, @Body() body: CreateWebhookDto): Promise<WebhookEndpointWithSecret> {
    return this.webhooks.create(asTenantId(tenantId), body);
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'Read a webhook endpoint.' })
  @ApiOkResponse({ type: WebhookAnswer, description: 'OK.' })
  get(@Param('tenantId') tenantId: string, @Param('webhookId') webhookId: string): Promise<WebhookEndpointView> {
    return this.webhooks.view(asTenantId(tenantId), webhookId);
  }

  @Patch(':webhookId')
  @ApiOperation({ summary: 'Change url, types, description or enabled.' })
  @ApiOkResponse({ type: WebhookAnswer, description: 'OK.' })
  update(@Param('tenantId') tenantId: string, @Param('webhookId') webhookId: string, @Body() body: UpdateWebhookDto): Promise<WebhookEndpointView> {
    return this.webhooks.update(asTenantId(tenantId), webhookId, body);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint and its delivery history.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async delete(@Param('tenantId') tenantId: string, @Param('webhookId') webhookId: string): Promise<void> {
    await this.webhooks.delete(asTenantId(tenantId), webhookId);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret (in this answer only); the previous one also signs during the grace period.' })
  @ApiOkResponse({ type: WebhookWithSecretAnswer, description: 'Rotated.' })
  rotate(@Param('tenantId') tenantId: string, @Param('webhookId') webhookId: string, @Body() body: RotateWebhookSecretDto): Promise<WebhookEndpointWithSecret> {
    return this.webhooks.rotateSecret(asTenantId(tenantId), webhookId, body.gracePeriodSeconds);
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: "The endpoint's deliveries, newest event first: attempts, last status, next attempt." })
  @ApiOkResponse({ type: WebhookDeliveriesPageAnswer, description: 'OK.' })
  deliveries(@Param('tenantId') tenantId: string, @Param('webhookId') webhookId: string, @Query() query: DeliveriesQueryDto): Promise<DeliveriesPage> {
    return this.webhooks.deliveriesOf(asTenantId(tenantId), webhookId, query.before, query.limit ?? 100);
  }

  @Post(':webhookId/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again now, whatever became of it.' })
  @ApiAcceptedResponse({ type: WebhookDeliveryAnswer, description: 'Queued.' })
  @AdminErrors(409)
  retry(@Param('tenantId') tenantId: string, @Param('webhookId') webhookId: string, @Param('deliveryId') deliveryId: string): Promise<WebhookDeliveryView> {
    return this.webhooks.retry(asTenantId(tenantId), webhookId, deliveryId);
  }
}
