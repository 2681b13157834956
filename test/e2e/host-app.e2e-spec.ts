import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEFAULT_OPTIONS, RequireScopes, RosterModule, ScimAuthGuard, Tenant, configureRosterHttp, type TenantId } from '../../src/index.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { HttpClient } from '../support/http-client.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';

const ADMIN_TOKEN = 'host-app-admin-token-0123456789abcdef';

/** A host's own endpoints, protected by Roster's tokens and scopes. */
@Controller('host')
class HostController {
  @Get('hello')
  hello() {
    return { hello: 'from the host' };
  }

  @Get('reports')
  @UseGuards(ScimAuthGuard)
  @RequireScopes('scim.read')
  read(@Tenant() tenant: TenantId) {
    return { tenant, action: 'read' };
  }

  @Post('reports')
  @UseGuards(ScimAuthGuard)
  @RequireScopes('scim.write')
  write(@Tenant() tenant: TenantId) {
    return { tenant, action: 'write' };
  }
}

describe.each(databaseKinds())('Roster imported into a host Nest app on %s', (kind) => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let http: HttpClient;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    @Module({
      imports: [
        RosterModule.forRootAsync({
          useFactory: async () => ({
            ...DEFAULT_OPTIONS,
            publicUrl: 'https://host.example.test',
            adminToken: ADMIN_TOKEN,
            database: database.options,
          }),
        }),
      ],
      controllers: [HostController],
    })
    class HostModule {}
    app = await NestFactory.create<NestFastifyApplication>(HostModule, new FastifyAdapter(), { logger: false });
    configureRosterHttp(app);
    await app.listen(0, '127.0.0.1');
    http = new HttpClient(await app.getUrl());
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('serves discovery through the host with the configured public URL', async () => {
    const response = await http.get<{ meta: { location: string } }>('/scim/v2/ServiceProviderConfig');
    expect(response.status).toBe(200);
    expect(response.body.meta.location).toBe('https://host.example.test/scim/v2/ServiceProviderConfig');
  });

  it("leaves the host's own routes and their errors alone", async () => {
    expect((await http.get('/host/hello')).body).toEqual({ hello: 'from the host' });
    const missing = await http.get<Record<string, unknown>>('/host/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).not.toHaveProperty('schemas');
  });

  it('lets a read-only token read but not write, and names the tenant from the token', async () => {
    const connection = await createTenantWithConnectionVia(['scim.read']);
    const token = await requestAccessToken(http, connection);
    const read = await http.get<{ tenant: string }>('/host/reports', { token });
    expect(read.status).toBe(200);
    expect(read.body.tenant).toBe(connection.tenantId);
    const write = await http.post<{ status: string; detail: string }>('/host/reports', { token });
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain('scim.write');
  });

  it('lets a write token write', async () => {
    const connection = await createTenantWithConnectionVia(['scim.read', 'scim.write']);
    const token = await requestAccessToken(http, connection);
    const write = await http.post<{ action: string }>('/host/reports', { token });
    expect(write.status).toBe(201);
    expect(write.body.action).toBe('write');
  });

  it('narrows a token to the scope requested at /oauth/token', async () => {
    const connection = await createTenantWithConnectionVia(['scim.read', 'scim.write']);
    const token = await requestAccessToken(http, connection, 'scim.read');
    expect((await http.post('/host/reports', { token })).status).toBe(403);
  });

  it('answers a SCIM URL its router refused (a trailing slash it does not ignore) 404, and a wrong method there 405', async () => {
    const connection = await createTenantWithConnectionVia(['scim.read', 'scim.write']);
    const token = await requestAccessToken(http, connection);
    const refused = await http.get<{ schemas: string[]; status: string }>('/scim/v2/Users/00000000-0000-4000-8000-000000000000/', { token });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
    expect(refused.headers.get('allow')).toBeNull();
    const wrongMethod = await http.request('POST', '/scim/v2/Users/00000000-0000-4000-8000-000000000000/', { token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH, PUT');
  });

  function createTenantWithConnectionVia(scopes: string[]) {
    return createTenantWithConnection(http, { scopes }, ADMIN_TOKEN);
  }
});
