import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../src/config/injection-tokens.js';
import { EventsRetention } from '../../src/modules/events/events-retention.js';
import { type EventJson, pullAll, type StreamPage, tableText, typesAndResources } from '../support/events.js';
import { startRoster, TEST_ADMIN_TOKEN, type RosterHarness } from '../support/roster-harness.js';
import { ACCESS_GROUP, GROUP_SCHEMA, groupsApi, type GroupsApi } from '../support/scim-groups.js';
import { patchOp, USER_SCHEMA, usersApi, type UsersApi } from '../support/scim-users.js';

const NOTIFICATIONS = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';
const ACCESS_USER = 'urn:roster:params:scim:schemas:extension:access:2.0:User';

describe.each(databaseKinds())('Change events on %s', (kind) => {
  let roster: RosterHarness;
  let tenantId: string;
  let connectionId: string;
  let users: UsersApi;
  let groups: GroupsApi;
  let cursor: string | null = null;

  /** The events since the last call, walked with nextCursor. */
  const newEvents = async (): Promise<EventJson[]> => {
    const pulled = await pullAll(roster, tenantId, cursor ?? undefined, 3);
    cursor = pulled.cursor;
    return pulled.events;
  };
  const admin = <T>(method: string, path: string, body?: unknown) => roster.http.request<T>(method, `/admin/tenants/${tenantId}${path}`, { token: TEST_ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    connectionId = connection.connectionId;
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    await newEvents();
  });
  afterAll(() => roster.close());

  it('records a user created with roles and an invitation request: the actor, the request, the resource and its version', async () => {
    const created = await users.create({ userName: 'ada@example.com', roles: ['writer'], schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', NOTIFICATIONS], [NOTIFICATIONS]: { sendInvitation: true } });
    expect(created.status).toBe(201);
    const events = await newEvents();
    expect(typesAndResources(events)).toEqual([
      ['user.created', created.body.id],
      ['user.access_changed', created.body.id],
      ['user.invitation_requested', created.body.id],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ tenantId, actor: { type: 'connection', id: connectionId } });
      expect(event.requestId).not.toBe('');
      expect(Date.parse(event.occurredAt)).not.toBeNaN();
    }
    expect(events[0].resource).toEqual({ type: 'User', id: created.body.id, version: 1 });
    expect(events[1].data).toEqual({ before: { roles: [], libraries: [] }, after: { roles: ['writer'], libraries: [] } });
    expect(new Set(events.map((event) => event.requestId)).size).toBe(1);
  });

  it('records what an update changed, nothing for a PATCH that changes nothing, and deactivation with revokeSessions', async () => {
    const user = (await users.create({ userName: 'grace@example.com', roles: ['guest'] })).body;
    await newEvents();
    expect((await users.patch(user.id, patchOp({ op: 'replace', path: 'displayName', value: 'Grace' }))).status).toBe(200);
    expect((await users.patch(user.id, patchOp({ op: 'replace', path: 'displayName', value: 'Grace' }))).status).toBe(200);
    const renamed = await newEvents();
    expect(renamed.map((event) => [event.type, event.data])).toEqual([['user.updated', { changed: ['displayName'] }]]);
    expect(renamed[0].resource.version).toBe(2);

    expect((await users.patch(user.id, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    const deactivated = await newEvents();
    expect(deactivated.map((event) => [event.type, event.data])).toEqual([
      ['user.updated', { changed: ['active'] }],
      ['user.deactivated', { revokeSessions: true }],
      ['user.access_changed', { before: { roles: ['guest'], libraries: [] }, after: { roles: [], libraries: [] } }],
    ]);
    expect((await users.patch(user.id, patchOp({ op: 'replace', path: 'active', value: true }))).status).toBe(200);
    expect((await newEvents()).map((event) => event.type)).toEqual(['user.updated', 'user.reactivated', 'user.access_changed']);
  });

  it('records the whole access a user loses on deactivation and gets back on reactivation, direct and through groups', async () => {
    const manuals = (await admin<{ id: string }>('POST', '/libraries', { displayName: 'Manuals' })).body;
    const recipes = (await admin<{ id: string }>('POST', '/libraries', { displayName: 'Recipes' })).body;
    const user = (await users.create({ userName: 'toggled@example.com', roles: ['guest'], schemas: [USER_SCHEMA, ACCESS_USER], [ACCESS_USER]: { libraries: [{ value: 'manuals' }] } })).body;
    const group = (await groups.create({ displayName: 'Cooks', members: [{ value: user.id }], schemas: [GROUP_SCHEMA, ACCESS_GROUP], [ACCESS_GROUP]: { role: 'writer', libraries: [{ value: 'recipes' }] } })).body;
    const full = {
      roles: ['guest', 'writer'],
      libraries: [
        { id: manuals.id, displayName: 'Manuals' },
        { id: recipes.id, displayName: 'Recipes' },
      ],
    };
    await newEvents();

    const deactivated = await users.patch(user.id, patchOp({ op: 'replace', path: 'active', value: false }));
    expect(deactivated.status).toBe(200);
    // The answer's grants are the ones the write found and kept: the same as a GET after it.
    expect(deactivated.body[ACCESS_USER]).toEqual({ libraries: [{ value: manuals.id, display: 'Manuals', $ref: expect.stringMatching(new RegExp(`/Libraries/${manuals.id}$`)) }] });
    expect(deactivated.body.groups).toEqual([expect.objectContaining({ value: group.id, display: 'Cooks' })]);
    expect(deactivated.body).toEqual((await users.get(user.id)).body);
    expect((await newEvents()).map((event) => [event.type, event.data])).toEqual([
      ['user.updated', { changed: ['active'] }],
      ['user.deactivated', { revokeSessions: true }],
      ['user.access_changed', { before: full, after: { roles: [], libraries: [] } }],
    ]);

    const reactivated = await users.patch(user.id, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toEqual((await users.get(user.id)).body);
    expect((await newEvents()).map((event) => [event.type, event.data])).toEqual([
      ['user.updated', { changed: ['active'] }],
      ['user.reactivated', {}],
      ['user.access_changed', { before: { roles: [], libraries: [] }, after: full }],
    ]);
  });

  it('records group membership as the members that really came and went, and the access it gave or took', async () => {
    const [a, b] = [(await users.create({ userName: 'm1@example.com' })).body.id, (await users.create({ userName: 'm2@example.com' })).body.id];
    await newEvents();
    const group = (await groups.create({ displayName: 'Editors', members: [{ value: a }] })).body;
    const created = await newEvents();
    expect(created.map((event) => [event.type, event.resource.id, event.data])).toEqual([
      ['group.created', group.id, {}],
      ['group.members_added', group.id, { members: [a] }],
      ['user.access_changed', a, { before: { roles: [], libraries: [] }, after: { roles: ['Editors'], libraries: [] } }],
    ]);
    // a is already a member: only b really comes.
    expect((await groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: [{ value: a }, { value: b }] }))).status).toBe(204);
    expect((await newEvents()).map((event) => [event.type, event.resource.id, event.data.members ?? null])).toEqual([
      ['group.members_added', group.id, [b]],
      ['user.access_changed', b, null],
    ]);
    expect((await groups.patch(group.id, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }))).status).toBe(204);
    expect((await newEvents()).map((event) => [event.type, event.resource.id])).toEqual([
      ['group.members_removed', group.id],
      ['user.access_changed', a],
    ]);
    expect((await groups.patch(group.id, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }))).status).toBe(204);
    expect(await newEvents()).toEqual([]);
  });

  it('gives events version-7 ids that increase with their position, so that a large change appends to the id index', async () => {
    const members = await Promise.all(['o1', 'o2', 'o3', 'o4'].map(async (name) => (await users.create({ userName: `${name}@example.com` })).body.id));
    await newEvents();
    const group = (await groups.create({ displayName: 'Ordered', members: members.map((value) => ({ value })) })).body;
    const events = await newEvents();
    expect(events).toHaveLength(2 + members.length);
    const ids = events.map((event) => event.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // In stream order (pullAll's order), each id sorts after the one before it.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
    const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
    const stored = (await dataSource.query(`SELECT event_id FROM events WHERE tenant_id = ${p(1)} AND resource_id = ${p(2)}`, [tenantId, group.id])) as { event_id: string }[];
    expect(stored.map((row) => row.event_id).sort()).toEqual(events.filter((event) => event.resource.id === group.id).map((event) => event.id));
  });

  it('records library grants through a group and a library deletion as access changes of every holder', async () => {
    const member = (await users.create({ userName: 'reader@example.com' })).body.id;
    const library = (await admin<{ id: string; displayName: string }>('POST', '/libraries', { displayName: 'Handbooks' })).body;
    const group = (await groups.create({ displayName: 'Readers', members: [{ value: member }] })).body;
    await newEvents();
    const granted = await groups.patch(group.id, patchOp({ op: 'add', path: `${ACCESS_GROUP}:libraries`, value: [{ value: 'handbooks' }] }));
    expect(granted.status).toBe(204);
    const grant = await newEvents();
    expect(grant.map((event) => [event.type, event.resource.id])).toEqual([
      ['group.updated', group.id],
      ['user.access_changed', member],
    ]);
    expect(grant[0].data).toEqual({ changed: [`${ACCESS_GROUP}:libraries`] });
    expect(grant[1].data.after).toEqual({ roles: ['Readers'], libraries: [{ id: library.id, displayName: 'Handbooks' }] });

    expect((await admin('DELETE', `/libraries/${library.id}`)).status).toBe(204);
    const deleted = await newEvents();
    expect(deleted.map((event) => [event.type, event.resource.id, event.actor.type])).toEqual([
      ['library.deleted', library.id, 'admin'],
      ['user.access_changed', member, 'admin'],
    ]);
    expect(deleted[1].data.after).toEqual({ roles: ['Readers'], libraries: [] });
  });

  it('records a delete with revokeSessions and a restore by POST as user.restored', async () => {
    const user = (await users.create({ userName: 'leaver@example.com', [ACCESS_USER]: undefined })).body;
    await newEvents();
    expect((await users.delete(user.id)).status).toBe(204);
    expect((await newEvents()).map((event) => [event.type, event.data])).toEqual([['user.deleted', { revokeSessions: true }]]);
    const restored = await users.create({ userName: 'leaver@example.com' });
    expect(restored.body.id).toBe(user.id);
    expect((await newEvents()).map((event) => [event.type, event.resource])).toEqual([['user.restored', { type: 'User', id: user.id, version: 3 }]]);
  });

  it('leaves no event of a write that was refused or rolled back', async () => {
    await newEvents();
    expect((await groups.create({ displayName: 'Broken', members: [{ value: '00000000-0000-0000-0000-000000000000' }] })).status).toBe(400);
    const first = (await users.create({ userName: 'owner1@example.com', roles: ['owner'] })).body.id;
    await newEvents();
    // owner is unique: the second holder is refused after the user row was written, so the whole write rolls back.
    expect((await users.create({ userName: 'owner2@example.com', roles: ['owner'] })).status).toBe(409);
    expect(await newEvents()).toEqual([]);
    expect(first).toBeDefined();
  });

  it('pages in order without repeats, filters by type, refuses a forged cursor and keeps tenants apart', async () => {
    const all = (await pullAll(roster, tenantId, undefined, 1)).events;
    const again = (await pullAll(roster, tenantId, undefined, 1000)).events;
    expect(all.map((event) => event.id)).toEqual(again.map((event) => event.id));
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    const deleted = (await pullAll(roster, tenantId, undefined, 2, 'user.deleted,user.restored')).events;
    expect(deleted.map((event) => event.type)).toEqual(['user.deleted', 'user.restored']);
    const forged = await roster.http.get<{ scimType: string }>(`/admin/tenants/${tenantId}/events?after=nonsense`, { token: TEST_ADMIN_TOKEN });
    expect(forged.status).toBe(400);
    expect(forged.body.scimType).toBe('invalidValue');
    // The other tenant sees only its own connection's creation, and none of this tenant's events.
    const other = await createTenantWithConnection(roster.http);
    const theirs = (await pullAll(roster, other.tenantId)).events;
    expect(theirs.map((event) => [event.type, event.tenantId, event.resource.id])).toEqual([['connection.created', other.tenantId, other.connectionId]]);
    const unknown = '/admin/tenants/00000000-0000-0000-0000-000000000000/events';
    expect((await roster.http.get(unknown, { token: TEST_ADMIN_TOKEN })).status).toBe(404);
    // An unknown tenant is a 404 before a cursor it never handed out is a 400.
    expect((await roster.http.get(`${unknown}?after=nonsense`, { token: TEST_ADMIN_TOKEN })).status).toBe(404);
    // A known tenant past its last event: an empty page, not a 404.
    const end = await roster.http.get<StreamPage<EventJson>>(`/admin/tenants/${other.tenantId}/events?after=${encodeURIComponent(String((await pullAll(roster, other.tenantId)).cursor))}`, { token: TEST_ADMIN_TOKEN });
    expect(end.status).toBe(200);
    expect(end.body.data).toEqual([]);
  });

  it('keeps the audit log of events and refused writes, with actor, request id and client address, and never a password', async () => {
    const secret = 'S3cret-Never-Logged-7f3a';
    const user = (await users.create({ userName: 'audited@example.com', password: secret })).body;
    const refused = await users.create({ userName: 'audited@example.com', password: secret });
    expect(refused.status).toBe(409);
    const audit = await roster.http.get<StreamPage<Record<string, unknown>>>(`/admin/tenants/${tenantId}/audit?resourceId=${user.id}`, { token: TEST_ADMIN_TOKEN });
    expect(audit.status).toBe(200);
    expect(audit.body.data.map((entry) => [entry.kind, entry.type])).toEqual([['event', 'user.created']]);
    // A refusal's audit line is written after its answer: wait for it.
    const readRefusals = () => roster.http.get<StreamPage<Record<string, unknown>>>(`/admin/tenants/${tenantId}/audit?type=scim.write_refused&connectionId=${connectionId}&limit=1000`, { token: TEST_ADMIN_TOKEN });
    const isOurs = (entry: Record<string, unknown> | undefined) => String(entry?.detail ?? '').includes('audited@example.com');
    let refusals = await readRefusals();
    for (let tries = 0; tries < 50 && !isOurs(refusals.body.data[refusals.body.data.length - 1]); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refusals = await readRefusals();
    }
    const last = refusals.body.data[refusals.body.data.length - 1];
    expect(last).toMatchObject({ kind: 'refused', status: 409, scimType: 'uniqueness', method: 'POST', path: '/scim/v2/Users', actor: { type: 'connection', id: connectionId }, clientIp: '127.0.0.1' });
    expect(String(last.detail)).toContain('audited@example.com');
    for (const table of ['events', 'audit_entries']) expect(await tableText(roster, table)).not.toContain(secret);
    expect(audit.text + refusals.text).not.toContain(secret);
  });

  it('records a purge as user.purged, a group deleted and a library created, renamed and deleted', async () => {
    const gone = (await users.create({ userName: 'purgeable@example.com' })).body;
    const group = (await groups.create({ displayName: 'Short-lived' })).body;
    expect((await users.delete(gone.id)).status).toBe(204);
    expect((await groups.delete(group.id)).status).toBe(204);
    await newEvents();
    const purged = await admin<{ purged: number }>('POST', '/purge', { olderThanDays: 0 });
    expect(purged.status).toBe(200);
    expect(purged.body.purged).toBeGreaterThanOrEqual(1);
    const library = (await admin<{ id: string }>('POST', '/libraries', { displayName: 'Atlases' })).body;
    expect((await admin('PATCH', `/libraries/${library.id}`, { displayName: 'World atlases' })).status).toBe(200);
    expect((await admin('DELETE', `/libraries/${library.id}`)).status).toBe(204);
    const events = await newEvents();
    const purgedEvents = events.filter((event) => event.type === 'user.purged');
    expect(purgedEvents.map((event) => event.resource.id)).toContain(gone.id);
    expect(purgedEvents.find((event) => event.resource.id === gone.id)).toMatchObject({ actor: { type: 'admin' }, resource: { type: 'User', version: 2 }, data: {} });
    expect(events.filter((event) => event.type.startsWith('library.')).map((event) => [event.type, event.resource.id, event.actor.type])).toEqual([
      ['library.created', library.id, 'admin'],
      ['library.updated', library.id, 'admin'],
      ['library.deleted', library.id, 'admin'],
    ]);
    expect(events.find((event) => event.type === 'library.updated')?.data).toEqual({ changed: ['displayName'] });
    // The group's deletion came before the cursor was taken: it is in the stream, once.
    const all = (await pullAll(roster, tenantId, undefined, 1000, 'group.deleted')).events;
    expect(all.map((event) => event.resource.id)).toEqual([group.id]);
    // Purging again finds nothing and records nothing.
    expect((await admin<{ purged: number }>('POST', '/purge', { olderThanDays: 0 })).body).toEqual({ purged: 0 });
    expect(await newEvents()).toEqual([]);
  });

  it("keeps each tenant's audit log to itself", async () => {
    const other = await createTenantWithConnection(roster.http);
    const otherUsers = usersApi(roster, await requestAccessToken(roster.http, other));
    const theirs = (await otherUsers.create({ userName: 'elsewhere@example.com' })).body;
    const ours = await roster.http.get<StreamPage<{ resource: { id: string } | null; actor: { id: string } }>>(`/admin/tenants/${tenantId}/audit?limit=1000`, { token: TEST_ADMIN_TOKEN });
    expect(ours.body.data.some((entry) => entry.resource?.id === theirs.id || entry.actor.id === other.connectionId)).toBe(false);
    const byResource = await roster.http.get<StreamPage<unknown>>(`/admin/tenants/${tenantId}/audit?resourceId=${theirs.id}`, { token: TEST_ADMIN_TOKEN });
    expect(byResource.body.data).toEqual([]);
    const theirAudit = await roster.http.get<StreamPage<{ resource: { id: string } | null }>>(`/admin/tenants/${other.tenantId}/audit?limit=1000`, { token: TEST_ADMIN_TOKEN });
    expect(theirAudit.body.data.map((entry) => entry.resource?.id)).toEqual([other.connectionId, theirs.id]);
  });

  it('pages the audit log, events and refusals merged, without repeats or gaps, and refuses a forged cursor', async () => {
    const all = await roster.http.get<StreamPage<{ kind: string; eventId?: string; requestId: string; occurredAt: string }>>(`/admin/tenants/${tenantId}/audit?limit=1000`, { token: TEST_ADMIN_TOKEN });
    expect(new Set(all.body.data.map((entry) => entry.kind))).toEqual(new Set(['event', 'refused']));
    const walked: typeof all.body.data = [];
    let cursor: string | null = null;
    for (;;) {
      const query: string = `limit=2${cursor === null ? '' : `&after=${cursor}`}`;
      const page = await roster.http.get<StreamPage<(typeof walked)[number]>>(`/admin/tenants/${tenantId}/audit?${query}`, { token: TEST_ADMIN_TOKEN });
      expect(page.status).toBe(200);
      walked.push(...page.body.data);
      if (page.body.data.length < 2) break;
      cursor = page.body.nextCursor;
    }
    expect(walked).toEqual(all.body.data);
    // Each event appears once, and every event of the pull API is in the audit log.
    const events = (await pullAll(roster, tenantId, undefined, 1000)).events;
    expect(walked.filter((entry) => entry.kind === 'event').map((entry) => entry.eventId)).toEqual(events.map((event) => event.id));
    const forged = await roster.http.get(`/admin/tenants/${tenantId}/audit?after=${Buffer.from('p12').toString('base64url')}`, { token: TEST_ADMIN_TOKEN });
    expect(forged.status).toBe(400);
  });

  it('records connections created and revoked through the admin API, never their secret', async () => {
    await newEvents();
    const created = await admin<{ id: string; clientSecret: string }>('POST', '/connections', { name: 'Okta', scopes: ['scim.read'] });
    expect(created.status).toBe(201);
    expect((await admin('DELETE', `/connections/${created.body.id}`)).status).toBe(204);
    const events = await newEvents();
    expect(events.map((event) => [event.type, event.resource, event.actor.type, event.data])).toEqual([
      ['connection.created', { type: 'Connection', id: created.body.id, version: null }, 'admin', { name: 'Okta', scopes: ['scim.read'] }],
      ['connection.revoked', { type: 'Connection', id: created.body.id, version: null }, 'admin', {}],
    ]);
    for (const table of ['events', 'audit_entries']) expect(await tableText(roster, table)).not.toContain(created.body.clientSecret);
  });

  it("shows each connection's last use, its writes of the last 24 h and its last refused write", async () => {
    const other = await createTenantWithConnection(roster.http);
    const otherUsers = usersApi(roster, await requestAccessToken(roster.http, other));
    expect((await otherUsers.create({ userName: 'health1@example.com' })).status).toBe(201);
    expect((await otherUsers.create({ userName: 'health2@example.com', roles: ['guest'] })).status).toBe(201);
    const refused = await otherUsers.create({ userName: 'health1@example.com' });
    expect(refused.status).toBe(409);
    // A refusal's audit line is written after its answer, so the list may take a moment to show it.
    const listConnections = () => roster.http.get<{ id: string; lastUsedAt: string | null; activity: { lastRefused: unknown } }[]>(`/admin/tenants/${other.tenantId}/connections`, { token: TEST_ADMIN_TOKEN });
    let listed = await listConnections();
    for (let tries = 0; tries < 50 && listed.body.find((entry) => entry.id === other.connectionId)?.activity.lastRefused === null; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      listed = await listConnections();
    }
    // Once it shows, read again: the counts of the list that first showed it may predate it.
    listed = await listConnections();
    expect(listed.status).toBe(200);
    const connection = listed.body.find((entry) => entry.id === other.connectionId);
    expect(connection?.lastUsedAt).not.toBeNull();
    expect(Date.now() - Date.parse(String(connection?.lastUsedAt))).toBeLessThan(120_000);
    // Two creates (the second recorded two events in one request), one refusal.
    expect(connection?.activity).toEqual({
      writes: { accepted: 2, refused: 1 },
      lastRefused: { at: expect.any(String), status: 409, scimType: 'uniqueness', detail: expect.stringContaining('health1@example.com'), method: 'POST', path: '/scim/v2/Users' },
    });
  });

  it('purges events and audit entries older than the tenant keeps them (retentionDays), and nothing younger', async () => {
    expect((await admin('PATCH', '', { settings: { retentionDays: 30 } })).status).toBe(200);
    const before = (await pullAll(roster, tenantId)).events;
    expect(before.length).toBeGreaterThan(0);
    const dataSource = roster.app.get<string, DataSource>(getDataSourceToken(ROSTER_DATA_SOURCE) as string);
    const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
    // Age the first two events (the audit log reads them too) and the first refused write by 31 days.
    const old = before.slice(0, 2).map((event) => event.id);
    const aged = new Date(Date.now() - 31 * 86_400_000).toISOString();
    for (const id of old) await dataSource.query(`UPDATE events SET occurred_at = ${p(1)} WHERE event_id = ${p(2)}`, [aged, id]);
    await dataSource.query(`UPDATE audit_entries SET occurred_at = ${p(1)} WHERE tenant_id = ${p(2)} AND seq = (SELECT MIN(seq) FROM audit_entries WHERE tenant_id = ${p(3)})`, [aged, tenantId, tenantId]);
    const auditBefore = await roster.http.get<StreamPage<{ kind: string; eventId?: string }>>(`/admin/tenants/${tenantId}/audit?limit=1000`, { token: TEST_ADMIN_TOKEN });
    const purged = await roster.app.get(EventsRetention).purge(new Date());
    expect(purged).toEqual({ events: 2, audit: 1 });
    const after = (await pullAll(roster, tenantId)).events;
    expect(after.map((event) => event.id)).toEqual(before.slice(2).map((event) => event.id));
    const auditAfter = await roster.http.get<StreamPage<{ kind: string; eventId?: string }>>(`/admin/tenants/${tenantId}/audit?limit=1000`, { token: TEST_ADMIN_TOKEN });
    expect(auditAfter.body.data.length).toBe(auditBefore.body.data.length - 3);
    expect(auditAfter.body.data.some((entry) => old.includes(entry.eventId ?? ''))).toBe(false);
  });
});
