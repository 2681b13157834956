import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { UserEntity } from '../../src/database/entities/user.entity.js';
import { ResourceCounts1764900000000 } from '../../src/database/migrations/1764900000000-resource-counts.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { startRosterOn, TEST_ADMIN_TOKEN } from '../support/roster-harness.js';
import { GROUP_SCHEMA } from '../support/scim-groups.js';
import { USER_SCHEMA } from '../support/scim-users.js';

describe.each(databaseKinds())('migrations on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  it('fill the filter index of users written before the query engine existed', async () => {
    // Start once (which migrates) for a tenant and a token, then write a user the old way: a bare row.
    const roster = await startRosterOn(database.options);
    try {
      const connection = await createTenantWithConnection(roster.http);
      const token = await requestAccessToken(roster.http, connection);
      const dataSource = new DataSource(buildDataSourceOptions(database.options));
      await dataSource.initialize();
      const id = randomUUID();
      const now = new Date().toISOString();
      await dataSource.query(`DELETE FROM user_values`);
      await dataSource.getRepository(UserEntity).insert({
        id,
        tenantId: connection.tenantId,
        userName: 'Legacy@Example.com',
        userNameKey: 'legacy@example.com',
        externalId: 'legacy-1',
        displayName: null,
        active: true,
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'Legacy@Example.com',
          externalId: 'legacy-1',
          emails: [{ value: 'legacy@work.example', type: 'work' }],
        },
        passwordHash: null,
        version: 1,
        createdAt: now,
        lastModified: now,
        deletedAt: null,
      } as QueryDeepPartialEntity<UserEntity>);
      // Roll the query engine (and what came after) back and forward again: its migration backfills.
      for (let i = MIGRATIONS.length; i > 2; i--) await dataSource.undoLastMigration();
      await dataSource.runMigrations();
      await dataSource.destroy();

      const filter = encodeURIComponent('emails[type eq "work"].value eq "LEGACY@work.example" and userName eq "legacy@example.com"');
      const found = await roster.http.get<{ totalResults: number; Resources: { id: string }[] }>(`/scim/v2/Users?filter=${filter}`, { token });
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].id).toBe(id);
    } finally {
      await roster.close();
    }
  });

  it('count the live resources of every tenant written before the counts existed', async () => {
    const roster = await startRosterOn(database.options);
    try {
      const connection = await createTenantWithConnection(roster.http);
      const token = await requestAccessToken(roster.http, connection);
      const created = await Promise.all(
        ['kept-1', 'kept-2', 'gone'].map((name) => roster.http.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: [USER_SCHEMA], userName: name } })),
      );
      expect(created.map((response) => response.status)).toEqual([201, 201, 201]);
      expect((await roster.http.delete(`/scim/v2/Users/${created[2].body.id}`, { token })).status).toBe(204);
      expect((await roster.http.post('/scim/v2/Groups', { token, body: { schemas: [GROUP_SCHEMA], displayName: 'Team' } })).status).toBe(201);
      const dataSource = new DataSource(buildDataSourceOptions(database.options));
      await dataSource.initialize();
      // Back to before the counts existed (the migrations after it go too), then forward again.
      for (let i = MIGRATIONS.length; i > MIGRATIONS.indexOf(ResourceCounts1764900000000); i--) await dataSource.undoLastMigration();
      await dataSource.runMigrations();
      await dataSource.destroy();

      const total = async (type: string): Promise<number> => (await roster.http.get<{ totalResults: number }>(`/scim/v2/${type}?count=0`, { token })).body.totalResults;
      expect(await total('Users')).toBe(2);
      expect(await total('Groups')).toBe(1);
      expect(await total('Libraries')).toBe(0);
    } finally {
      await roster.close();
    }
  });

  it('move the client address of audit copies onto the events, and keep refusals', async () => {
    const roster = await startRosterOn(database.options);
    try {
      const connection = await createTenantWithConnection(roster.http);
      const token = await requestAccessToken(roster.http, connection);
      const created = await roster.http.post<{ id: string }>('/scim/v2/Users', { token, body: { schemas: [USER_SCHEMA], userName: 'audited-before' } });
      expect(created.status).toBe(201);
      const dataSource = new DataSource(buildDataSourceOptions(database.options));
      await dataSource.initialize();
      await dataSource.undoLastMigration();
      // What the recorder wrote before: a copy of each event in audit_entries, with the client address.
      const p = (n: number) => (database.options.kind === 'postgres' ? `$${n}` : '?');
      const [event] = (await dataSource.query(`SELECT event_id, seq FROM events WHERE tenant_id = ${p(1)} AND type = 'user.created'`, [connection.tenantId])) as { event_id: string; seq: number }[];
      await dataSource.query(
        `INSERT INTO audit_entries (tenant_id, seq, occurred_at, kind, type, actor_type, actor_id, request_id, client_ip, resource_type, resource_id, event_id)
         VALUES (${p(1)}, 900, '2026-11-30T00:00:00.000Z', 'event', 'user.created', 'connection', ${p(2)}, 'r1', '198.51.100.7', 'User', ${p(3)}, ${p(4)})`,
        [connection.tenantId, connection.connectionId, created.body.id, event.event_id],
      );
      await dataSource.runMigrations();
      const copies = (await dataSource.query(`SELECT COUNT(*) AS n FROM audit_entries WHERE kind = 'event'`)) as { n: number | string }[];
      await dataSource.destroy();
      expect(Number(copies[0].n)).toBe(0);

      const audit = await roster.http.get<{ data: { eventId?: string; clientIp: string | null }[] }>(`/admin/tenants/${connection.tenantId}/audit?resourceId=${created.body.id}`, { token: TEST_ADMIN_TOKEN });
      expect(audit.body.data).toEqual([expect.objectContaining({ eventId: event.event_id, clientIp: '198.51.100.7' })]);
    } finally {
      await roster.close();
    }
  });
});
