import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { nowIso } from '../../database/timestamps.js';
import { appendOrderedId } from '../../domain/append-ordered-id.js';
import { asTenantId } from '../../domain/tenant-id.js';
import { currentRequestContext } from '../../http/request-context.js';
import { isRecord, type ScimObject } from '../../scim/patch/scim-json.js';
import { type ChangeFact, type ResourceChange, ResourceChanges } from '../resources/resource-changes.js';
import type { RosterEvent } from './event.js';
import { EventsRepository } from './events.repository.js';

/**
 * Turns every committed change into its events, in the change's own transaction (the outbox),
 * with the actor, request id and client address of the request that made it (the audit log
 * reads them there). A change that changed nothing (a PATCH to the same values) leaves no event.
 */
@Injectable()
export class EventsRecorder implements OnModuleInit {
  constructor(
    private readonly changes: ResourceChanges,
    private readonly events: EventsRepository,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe((change, manager) => this.record(change, manager));
  }

  /** Writes facts that no resource write carries (a connection created or revoked), in `manager`'s transaction. */
  async recordFacts(tenant: string, facts: readonly ChangeFact[], manager: EntityManager): Promise<void> {
    await this.write(tenant, facts.map((fact) => this.toEvent(tenant, fact)), manager);
  }

  private async record(change: ResourceChange, manager: EntityManager): Promise<void> {
    const resource = { type: change.resourceType, id: change.id, version: change.version };
    const own = ownFact(change);
    const facts = [...(own === undefined ? [] : [own]), ...(change.facts ?? [])].map((fact) => ({ ...fact, resource: fact.resource ?? resource }));
    await this.write(change.tenant, facts.map((fact) => this.toEvent(change.tenant, fact)), manager);
  }

  /** The events, with the request's client address for the audit log (which reads them from the events table). */
  private async write(tenant: string, events: readonly RosterEvent[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    await this.events.insert(asTenantId(tenant), events, currentRequestContext().clientIp, manager);
  }

  private toEvent(tenant: string, fact: ChangeFact): RosterEvent {
    const { requestId, actor } = currentRequestContext();
    const resource = fact.resource ?? { type: 'Tenant', id: tenant };
    return {
      id: appendOrderedId(),
      type: fact.type,
      tenantId: tenant,
      occurredAt: nowIso(),
      actor,
      requestId,
      resource: { type: resource.type, id: resource.id, version: resource.version ?? null },
      data: fact.data ?? {},
    };
  }
}

/** The change's own event, `<type>.created|updated|deleted`; an update that changed no attribute has none. */
function ownFact(change: ResourceChange): ChangeFact | undefined {
  const prefix = change.resourceType.toLowerCase();
  if (change.kind !== 'updated') return { type: change.baseType ?? `${prefix}.${change.kind}`, ...(change.baseData === undefined ? {} : { data: change.baseData }) };
  const changed = [...new Set([...changedAttributes(change.before ?? {}, change.after ?? change.before ?? {}), ...(change.changedBesides ?? [])])].sort();
  return changed.length === 0 ? undefined : { type: change.baseType ?? `${prefix}.updated`, data: { changed, ...(change.baseData ?? {}) } };
}

/** The attributes (extension ones as `urn:…:name`) whose stored values differ; `schemas` is no attribute. */
export function changedAttributes(before: ScimObject, after: ScimObject): string[] {
  const names = new Set<string>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'schemas') continue;
    const [a, b] = [before[key], after[key]];
    if (key.includes(':') && (isRecord(a) || isRecord(b))) {
      const inner = changedAttributes(isRecord(a) ? a : {}, isRecord(b) ? b : {});
      for (const name of inner) names.add(`${key}:${name}`);
    } else if (canonicalJson(a) !== canonicalJson(b)) names.add(key);
  }
  return [...names].sort();
}

/** JSON with object keys sorted, so that the same values in another key order compare equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
