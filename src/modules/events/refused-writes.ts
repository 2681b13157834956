import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { nowIso } from '../../database/timestamps.js';
import type { ScimError } from '../../scim/errors.js';
import { requestClientIp } from '../auth/request-client-ip.js';
import type { Principal } from '../auth/principal.js';
import { AuditRepository } from './audit.repository.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Puts every refused SCIM write of an authenticated connection into its tenant's audit log
 * (status, scimType, detail, method, path), so support can answer "why was the IdP's request
 * refused". Never the body: it may hold a password. A write refused before its token was
 * checked has no tenant to log to.
 */
@Injectable()
export class RefusedWrites {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly audit: AuditRepository,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {}

  record(request: FastifyRequest & { user?: Principal }, error: ScimError): void {
    const principal = request.user;
    const path = (request.url.split('?')[0] ?? '').slice(0, 512);
    if (principal === undefined || !WRITES.has(request.method) || path.endsWith('/.search')) return;
    const clientIp = requestClientIp(request, this.options);
    const entry = {
      kind: 'refused' as const,
      type: 'scim.write_refused',
      occurredAt: nowIso(),
      actor: { type: 'connection' as const, id: principal.connectionId },
      requestId: String(request.id),
      clientIp,
      resource: null,
      status: error.status,
      ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
      detail: error.detail,
      method: request.method,
      path,
    };
    // After the answer: the client's refusal must not wait on (or fail for) its audit line.
    this.audit.insert(principal.tenantId, [entry]).catch((cause: unknown) => this.logger.error(`audit entry not written: ${String(cause)}`));
  }
}
