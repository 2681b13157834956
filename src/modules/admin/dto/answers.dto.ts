import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCOPES, type Scope } from '../../../domain/scopes.js';
import type { TenantSettings } from '../../../domain/tenant-settings.js';
import { ERROR_SCHEMA, type ScimErrorBody, type ScimType } from '../../../scim/errors.js';
import type { AdminKeyView } from '../../admin-keys/admin-keys.service.js';
import { ADMIN_SCOPES, type AdminScope } from '../../../domain/admin-scopes.js';
import type { ConnectionHealthView, ConnectionView, SecretTokenView } from '../../connections/connections.service.js';
import type { ConnectionActivity } from '../../events/connection-activity.js';
import type { LibraryView } from '../../libraries/libraries.service.js';
import type { RoleView } from '../../roles/roles.service.js';
import type { TenantView } from '../../tenants/tenants.service.js';
import type { UserAccess } from '../../users/users.service.js';
import type { AuditEntry } from '../../events/audit-entry.js';
import type { RosterEvent } from '../../events/event.js';
import type { StreamPage } from '../../events/events.service.js';
import { EVENT_TYPES } from '../../events/event-types.js';
import type { DeliveryStatus, WebhookDeliveryView } from '../../webhooks/webhook-delivery.js';
import type { WebhookEndpointView, WebhookEndpointWithSecret } from '../../webhooks/webhook-endpoint.js';
import type { DeliveriesPage } from '../../webhooks/webhooks.service.js';

// The admin API's answers as OpenAPI schemas. Each class `implements` the view its service
// returns, so a field added to a view and not described here fails the typecheck.

const SCIM_TYPES: readonly ScimType[] = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
  'invalidCursor',
  'expiredCursor',
];

/** RFC 7644 §3.12: every admin error answers this body, as `application/scim+json`. */
export class ScimErrorAnswer implements ScimErrorBody {
  @ApiProperty({ type: [String], enum: [ERROR_SCHEMA] }) schemas!: [typeof ERROR_SCHEMA];
  @ApiProperty({ description: 'The HTTP status, as a string.', example: '404' }) status!: string;
  @ApiPropertyOptional({ enum: SCIM_TYPES }) scimType?: ScimType;
  @ApiProperty() detail!: string;
}

class RateLimitsAnswer {
  @ApiPropertyOptional({ type: 'integer' }) readPerSecond?: number;
  @ApiPropertyOptional({ type: 'integer' }) writePerSecond?: number;
}

class TenantSettingsAnswer implements TenantSettings {
  @ApiProperty({ enum: ['any', 'email'] }) userNameFormat!: 'any' | 'email';
  @ApiPropertyOptional({ type: () => RateLimitsAnswer, description: 'Absent: the service defaults.' }) rateLimits?: RateLimitsAnswer;
  @ApiProperty({ type: [String] }) uniqueRoles!: string[];
  @ApiPropertyOptional({ type: 'integer', description: 'Days events and audit entries are kept; absent: 400.' }) retentionDays?: number;
}

export class TenantAnswer implements TenantView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => TenantSettingsAnswer }) settings!: TenantSettingsAnswer;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ConnectionAnswer implements ConnectionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'roster_…' }) clientId!: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: Scope[];
  @ApiProperty({ type: [String] }) allowedCidrs!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a token of it was last accepted, to the minute.' }) lastUsedAt!: string | null;
}

class ConnectionWritesAnswer {
  @ApiProperty({ type: 'integer', description: 'Requests that changed something.' }) accepted!: number;
  @ApiProperty({ type: 'integer' }) refused!: number;
}

class RefusalAnswer {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'integer' }) status!: number;
  @ApiProperty({ type: String, nullable: true }) scimType!: string | null;
  @ApiProperty() detail!: string;
  @ApiProperty() method!: string;
  @ApiProperty() path!: string;
}

class ConnectionActivityAnswer implements ConnectionActivity {
  @ApiProperty({ type: () => ConnectionWritesAnswer, description: 'SCIM writes in the last 24 hours.' }) writes!: ConnectionWritesAnswer;
  @ApiProperty({ type: () => RefusalAnswer, nullable: true, description: 'The last refused SCIM write.' }) lastRefused!: RefusalAnswer | null;
}

export class ConnectionHealthAnswer extends ConnectionAnswer implements ConnectionHealthView {
  @ApiProperty({ type: () => ConnectionActivityAnswer }) activity!: ConnectionActivityAnswer;
}

export class CreatedConnectionAnswer extends ConnectionAnswer {
  @ApiProperty({ description: 'Shown in this answer only; stored hashed.', example: 'rst_cs_…' }) clientSecret!: string;
}

export class MintedTokenAnswer {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The bearer token, shown in this answer only; stored hashed.', example: 'rst_st_…' }) token!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires.' }) expiresAt!: string | null;
}

export class SecretTokenAnswer implements SecretTokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class RoleAnswer implements RoleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ description: 'A system role (owner, admin, writer, guest, client) cannot be renamed or deleted.' }) system!: boolean;
  @ApiProperty({ description: 'Held by at most one active user of the tenant.' }) unique!: boolean;
}

export class LibraryAnswer implements LibraryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, nullable: true }) externalId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastModified!: string;
}

class NamedRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
}

export class UserAccessAnswer implements UserAccess {
  @ApiProperty({ description: 'false: the user has no roles and no libraries.' }) active!: boolean;
  @ApiProperty({ type: [String], description: "Effective roles: the user's own ∪ its groups', sorted." }) roles!: string[];
  @ApiProperty({ type: [NamedRef], description: "Effective libraries: the user's own grants ∪ its groups'." }) libraries!: NamedRef[];
  @ApiProperty({ type: [NamedRef] }) groups!: NamedRef[];
}

export class PurgeAnswer {
  @ApiProperty({ type: 'integer', description: 'Users hard-deleted.' }) purged!: number;
}

class ActorAnswer {
  @ApiProperty({ enum: ['connection', 'admin', 'cli'] }) type!: 'connection' | 'admin' | 'cli';
  @ApiProperty({ description: 'The connection id, or "admin-token" / "cli".' }) id!: string;
}

class EventResourceAnswer {
  @ApiProperty({ example: 'User' }) type!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "The resource's version after the change." }) version!: number | null;
}

export class EventAnswer implements RosterEvent {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'user.deactivated' }) type!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: () => ActorAnswer }) actor!: ActorAnswer;
  @ApiProperty() requestId!: string;
  @ApiProperty({ type: () => EventResourceAnswer }) resource!: EventResourceAnswer;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'changed, revokeSessions, members, before/after: per type.' }) data!: Record<string, unknown>;
}

export class EventsPageAnswer implements StreamPage<RosterEvent> {
  @ApiProperty({ type: [EventAnswer] }) data!: EventAnswer[];
  @ApiProperty({ nullable: true, type: String, description: 'Send as `after` for the next page; the same cursor when nothing new committed.' }) nextCursor!: string | null;
}

class AuditResourceAnswer {
  @ApiProperty() type!: string;
  @ApiProperty() id!: string;
}

export class AuditEntryAnswer implements AuditEntry {
  @ApiProperty({ enum: ['event', 'refused'] }) kind!: 'event' | 'refused';
  @ApiProperty({ example: 'scim.write_refused' }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: () => ActorAnswer }) actor!: ActorAnswer;
  @ApiProperty() requestId!: string;
  @ApiProperty({ type: String, nullable: true }) clientIp!: string | null;
  @ApiProperty({ type: () => AuditResourceAnswer, nullable: true }) resource!: AuditResourceAnswer | null;
  @ApiPropertyOptional({ format: 'uuid' }) eventId?: string;
  @ApiPropertyOptional({ type: 'integer' }) status?: number;
  @ApiPropertyOptional() scimType?: string;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional() method?: string;
  @ApiPropertyOptional() path?: string;
}

export class AuditPageAnswer implements StreamPage<AuditEntry> {
  @ApiProperty({ type: [AuditEntryAnswer] }) data!: AuditEntryAnswer[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AdminKeyAnswer implements AdminKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ADMIN_SCOPES, isArray: true }) scopes!: AdminScope[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tenantId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class MintedAdminKeyAnswer extends AdminKeyAnswer {
  @ApiProperty({ description: 'Shown in this answer only; stored hashed.', example: 'rst_ak_…' }) key!: string;
}

export class WebhookAnswer implements WebhookEndpointView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true, description: 'Empty: all.' }) types!: string[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['disabled', 'gone'], description: 'gone: the receiver answered 410.' }) disabledReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until then the previous secret signs too.' }) previousSecretExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class WebhookWithSecretAnswer extends WebhookAnswer implements WebhookEndpointWithSecret {
  @ApiProperty({ description: 'Shown in this answer only (Standard Webhooks signing secret).', example: 'whsec_…' }) secret!: string;
}

export class WebhookDeliveryAnswer implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header.' }) eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'cancelled'] }) status!: DeliveryStatus;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: 'integer', nullable: true }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WebhookDeliveriesPageAnswer implements DeliveriesPage {
  @ApiProperty({ type: [WebhookDeliveryAnswer] }) data!: WebhookDeliveryAnswer[];
  @ApiProperty({ nullable: true, type: String, description: 'Send as `before` for older deliveries.' }) nextCursor!: string | null;
}
