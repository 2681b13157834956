import type { EntityManager } from 'typeorm';
import { runSql } from '../../src/database/run-sql.js';
import { TransactionRunner } from '../../src/database/transaction-runner.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import type { HttpResponse } from '../support/http-client.js';
import { groupsApi, type GroupsApi, type ScimGroup } from '../support/scim-groups.js';
import { expectStatus, librariesAdmin, type LibrariesAdmin } from '../support/scim-libraries.js';
import { usersApi, type UsersApi } from '../support/scim-users.js';

/** How long a read sent during an open transaction gets to reach the database before the transaction ends. */
const HELD_READ_WINDOW_MS = 300;

interface ListPage {
  readonly totalResults: number;
  readonly Resources: { readonly id: string; readonly groups?: { readonly value: string }[] }[];
}

/**
 * The read paths (GET by id, lists and filters, the access endpoint) answer from committed rows
 * only, while a write's transaction is still open. On SQLite every request shares one process:
 * with the reads on TypeORM's single connection, a GET served between two statements of another
 * request's transaction saw its uncommitted rows. Here the transaction is held open on purpose
 * while the reads are answered, and then either rolled back or committed.
 */
describe.each(databaseKinds())('reads see committed rows only on %s', (kind) => {
  let roster: RosterHarness;
  let users: UsersApi;
  let groups: GroupsApi;
  let admin: LibrariesAdmin;
  let tenantId: string;

  beforeAll(async () => {
    roster = await startRoster(kind);
    const connection = await createTenantWithConnection(roster.http);
    tenantId = connection.tenantId;
    const token = await requestAccessToken(roster.http, connection);
    users = usersApi(roster, token);
    groups = groupsApi(roster, token);
    admin = librariesAdmin(roster, tenantId);
  });
  afterAll(() => roster.close());

  /** What each read path says about the user's membership of the group. */
  const seenMemberships = async (userId: string, groupId: string) => {
    const byId = await users.get(userId);
    expectStatus(byId, 200);
    const filter = encodeURIComponent(`userName eq "${String(byId.body.userName)}"`);
    const filtered = await roster.http.get<ListPage>(`/scim/v2/Users?filter=${filter}`, { token: users.token });
    expectStatus(filtered, 200);
    const listed = await roster.http.get<ListPage>('/scim/v2/Users?count=100', { token: users.token });
    expectStatus(listed, 200);
    const access = await admin.accessOf(userId);
    const groupsOf = (resource: object | undefined): string[] => (((resource as { groups?: unknown } | undefined)?.groups ?? []) as { value: string }[]).map((group) => group.value);
    return {
      byId: groupsOf(byId.body),
      filtered: groupsOf(filtered.body.Resources[0]),
      listed: groupsOf(listed.body.Resources.find((resource) => resource.id === userId)),
      access: access.groups.map((group) => group.id).filter((id) => id === groupId),
    };
  };

  /** Adds the membership in a transaction held open until `reads` has run, then commits or rolls back. */
  const withOpenMembership = async <T>(userId: string, groupId: string, reads: () => Promise<T>, outcome: 'commit' | 'rollback'): Promise<T> => {
    let seen: T | undefined;
    const refused = new Error('rolled back on purpose');
    const written = roster.app.get(TransactionRunner).run(async (manager: EntityManager) => {
      await runSql(manager, 'INSERT INTO group_members (tenant_id, group_id, member_id) VALUES (:tenant, :group, :member)', { tenant: tenantId, group: groupId, member: userId });
      // The transaction stays open across event-loop turns while the requests are served.
      seen = await reads();
      if (outcome === 'rollback') throw refused;
    });
    if (outcome === 'rollback') await expect(written).rejects.toBe(refused);
    else await written;
    return seen as T;
  };

  it('does not show a membership whose transaction is still open, nor after it rolls back', async () => {
    const user = await users.create({ userName: 'uncommitted-member@example.com' });
    expectStatus(user, 201);
    const group = await groups.create({ displayName: 'Uncommitted' });
    expectStatus(group, 201);
    const none = { byId: [], filtered: [], listed: [], access: [] };

    const duringOpen = await withOpenMembership(user.body.id, group.body.id, () => seenMemberships(user.body.id, group.body.id), 'rollback');
    expect(duringOpen).toEqual(none);
    expect(await seenMemberships(user.body.id, group.body.id)).toEqual(none);
  });

  it('answers a group read that needs the writer connection after the transaction, without its rolled-back member', async () => {
    const user = await users.create({ userName: 'held-read@example.com' });
    expectStatus(user, 201);
    const group = await groups.create({ displayName: 'Held read' });
    expectStatus(group, 201);

    // The members are read with TypeORM, on the connection the transaction holds (on SQLite):
    // the read must not run inside the transaction. It is sent while the transaction is open and
    // awaited only after it ended, since on SQLite it waits for that end.
    let pending: Promise<HttpResponse<ScimGroup>> | undefined;
    await withOpenMembership(
      user.body.id,
      group.body.id,
      async () => {
        pending = groups.get(group.body.id);
        // Time for the request to reach its queries while the transaction is still open.
        await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, HELD_READ_WINDOW_MS))]);
      },
      'rollback',
    );
    const answer = await (pending as Promise<HttpResponse<ScimGroup>>);
    expectStatus(answer, 200);
    expect(answer.body.members ?? []).toEqual([]);
    expect(await groups.memberIds(group.body.id)).toEqual([]);
  });

  it('shows the membership once its transaction commits', async () => {
    const user = await users.create({ userName: 'committed-member@example.com' });
    expectStatus(user, 201);
    const group = await groups.create({ displayName: 'Committed' });
    expectStatus(group, 201);

    const duringOpen = await withOpenMembership(user.body.id, group.body.id, () => seenMemberships(user.body.id, group.body.id), 'commit');
    expect(duringOpen).toEqual({ byId: [], filtered: [], listed: [], access: [] });
    const member = [group.body.id];
    expect(await seenMemberships(user.body.id, group.body.id)).toEqual({ byId: member, filtered: member, listed: member, access: member });
  });
});
