/** Every event type Roster emits (DESIGN.md "Events"); webhook endpoints subscribe to some of them. */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'user.restored',
  'user.purged',
  'user.invitation_requested',
  'user.access_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.members_added',
  'group.members_removed',
  'library.created',
  'library.updated',
  'library.deleted',
  'connection.created',
  'connection.revoked',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(type: string): type is EventType {
  return KNOWN.has(type);
}
