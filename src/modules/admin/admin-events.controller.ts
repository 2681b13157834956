import { Get, Param, Query, UsePipes } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { asTenantId } from '../../domain/tenant-id.js';
import type { AuditEntry } from '../events/audit-entry.js';
import type { RosterEvent } from '../events/event.js';
import { EventsService, type StreamPage } from '../events/events.service.js';
import { AdminController } from './admin-controller.decorator.js';
import { AdminIdPipe } from './admin-id.pipe.js';
import { AuditPageAnswer, EventsPageAnswer } from './dto/answers.dto.js';
import { AuditQueryDto, EventsQueryDto } from './dto/stream.dto.js';

@AdminController('admin/tenants/:tenantId', 'Events and audit')
@UsePipes(new AdminIdPipe({ tenantId: 'Tenant' }))
export class AdminEventsController {
  constructor(private readonly events: EventsService) {}

  @Get('events')
  @ApiOperation({ summary: "The tenant's events in commit order; page on with nextCursor (DESIGN.md Events)." })
  @ApiOkResponse({ type: EventsPageAnswer, description: 'OK.' })
  list(@Param('tenantId') tenantId: string, @Query() query: EventsQueryDto): Promise<StreamPage<RosterEvent>> {
    const types = (query.types ?? '').split(',').map((type) => type.trim()).filter(Boolean);
    return this.events.page(asTenantId(tenantId), query.after, types, query.limit);
  }

  @Get('audit')
  @ApiOperation({ summary: 'Every event and every refused SCIM write, with actor, request id and client address.' })
  @ApiOkResponse({ type: AuditPageAnswer, description: 'OK.' })
  audit(@Param('tenantId') tenantId: string, @Query() query: AuditQueryDto): Promise<StreamPage<AuditEntry>> {
    const { after, limit, ...filters } = query;
    return this.events.auditPage(asTenantId(tenantId), { ...filters, ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) });
  }
}
