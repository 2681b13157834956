import { ConfigError } from './config-error.js';
import { loadServiceConfig, type Environment } from './load-config.js';

describe('loadServiceConfig', () => {
  it('starts on the embedded SQLite default with nothing set', () => {
    const config = loadServiceConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.options.database).toEqual({ kind: 'sqlite', file: './data/roster.sqlite' });
    expect(config.options.publicUrl).toBe('http://localhost:3000');
    expect(config.options.adminToken).toBeUndefined();
    expect(config.options.trustProxy).toEqual({ kind: 'none' });
    expect(config.options.accessTokenTtlSeconds).toBe(3600);
    expect(config.shutdownGraceSeconds).toBe(10);
  });

  it('reads SHUTDOWN_GRACE_SECONDS', () => {
    expect(loadServiceConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceSeconds).toBe(0);
    expect(loadServiceConfig({ SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceSeconds).toBe(30);
  });

  it('reads the webhook settings: private targets off and 10 s attempts unless set', () => {
    expect(loadServiceConfig({}).options.webhooks).toMatchObject({ allowPrivateTargets: false, timeoutMs: 10_000, deliver: true });
    expect(loadServiceConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_TIMEOUT_SECONDS: '3' }).options.webhooks).toMatchObject({ allowPrivateTargets: true, timeoutMs: 3000 });
    expect(loadServiceConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'FALSE' }).options.webhooks.allowPrivateTargets).toBe(false);
  });

  it.each([
    [{ DATABASE_URL: 'sqlite::memory:' }, { kind: 'sqlite', file: ':memory:' }],
    [{ DATABASE_URL: 'postgres://u:p@db:5432/roster' }, { kind: 'postgres', url: 'postgres://u:p@db:5432/roster' }],
  ])('reads DATABASE_URL %j', (env, database) => {
    expect(loadServiceConfig(env).options.database).toEqual(database);
  });

  it.each([
    [{ TRUST_PROXY: '2' }, { kind: 'hops', count: 2 }],
    [{ TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32' }, { kind: 'cidrs', cidrs: ['10.0.0.0/8', '2001:db8::/32'] }],
  ])('reads TRUST_PROXY %j', (env, trust) => {
    expect(loadServiceConfig(env).options.trustProxy).toEqual(trust);
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(loadServiceConfig({ PUBLIC_URL: 'https://scim.example.com/' }).options.publicUrl).toBe('https://scim.example.com');
  });

  it.each<[Environment, string]>([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '*' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '0' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY_HEADER: 'x-real-ip' }, 'TRUST_PROXY_HEADER'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ RATE_LIMIT_READ_PER_SEC: '-5' }, 'RATE_LIMIT_READ_PER_SEC'],
    [{ RATE_LIMIT_WRITE_PER_SEC: '1.5' }, 'RATE_LIMIT_WRITE_PER_SEC'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '10' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SHUTDOWN_GRACE_SECONDS: '-1' }, 'SHUTDOWN_GRACE_SECONDS'],
    [{ SHUTDOWN_GRACE_SECONDS: '601' }, 'SHUTDOWN_GRACE_SECONDS'],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_TARGETS'],
    [{ WEBHOOK_TIMEOUT_SECONDS: '0' }, 'WEBHOOK_TIMEOUT_SECONDS'],
    [{ WEBHOOK_TIMEOUT_SECONDS: '61' }, 'WEBHOOK_TIMEOUT_SECONDS'],
  ])('refuses %j with one line naming %s', (env, variable) => {
    let caught: unknown;
    try {
      loadServiceConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message.startsWith(variable + ' ')).toBe(true);
    expect((caught as ConfigError).message).not.toContain('\n');
  });
});
