import { databaseKinds } from '../support/databases.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';

describe.each(databaseKinds())('health on %s', (kind) => {
  let roster: RosterHarness;
  beforeAll(async () => {
    roster = await startRoster(kind);
  });
  afterAll(() => roster.close());

  it('answers liveness without touching anything', async () => {
    const response = await roster.http.get('/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers readiness after a database round-trip', async () => {
    const response = await roster.http.get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });
});

describe('readiness with Redis configured but unreachable', () => {
  let roster: RosterHarness;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens there, so the PING fails fast.
    roster = await startRoster('sqlite', { redisUrl: 'redis://127.0.0.1:1' });
  });
  afterAll(() => roster.close());

  it('stays ready, degraded, naming the failing check: without Redis the service still serves', async () => {
    const response = await roster.http.get<Record<string, unknown>>('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });
  });
});

describe('closing with Redis configured', () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

  it.each([
    ['out of reach', 'redis://127.0.0.1:1'],
    ['the test server (out of reach too where none runs)', TEST_REDIS_URL],
  ])('leaves no timer behind when Redis is %s, so that a host app can exit at once', async (_state, redisUrl) => {
    const before = timers();
    const roster = await startRoster('sqlite', { redisUrl });
    expect((await roster.http.get('/health/ready')).status).toBe(200);
    await roster.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    // ioredis used to leave a 2 s timer per connection (redis.provider.ts, disconnectTimeout).
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

