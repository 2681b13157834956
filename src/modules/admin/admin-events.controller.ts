import { Controller, Get, Param, Query, UseGuards, UsePipes } from '@nestjs/common';
import { asTenantId } from '../../domain/tenant-id.js';
import type { AuditEntry } from '../events/audit-entry.js';
import type { RosterEvent } from '../events/event.js';
import { EventsService, type StreamPage } from '../events/events.service.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { AuditQueryDto, EventsQueryDto } from './dto/stream.dto.js';

@Controller('admin/tenants/:tenantId')
@UseGuards(AdminTokenGuard)
@UsePipes(AdminValidationPipe)
export class AdminEventsController {
  constructor(private readonly events: EventsService) {}

  /** DESIGN.md "Events": the tenant's events in commit order; page on with `nextCursor`. */
  @Get('events')
  list(@Param('tenantId') tenantId: string, @Query() query: EventsQueryDto): Promise<StreamPage<RosterEvent>> {
    const types = (query.types ?? '').split(',').map((type) => type.trim()).filter(Boolean);
    return this.events.page(asTenantId(tenantId), query.after, types, query.limit);
  }

  /** Every event and every refused SCIM write, with actor, request id and client address. */
  @Get('audit')
  audit(@Param('tenantId') tenantId: string, @Query() query: AuditQueryDto): Promise<StreamPage<AuditEntry>> {
    const { after, limit, ...filters } = query;
    return this.events.auditPage(asTenantId(tenantId), { ...filters, ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) });
  }
}
