import type { DataSource } from 'typeorm';
import { RosterMetrics } from './roster-metrics.js';

/** A SQLite data source as far as the pool gauges look at it. */
const sqliteDataSource = { options: { type: 'better-sqlite3' }, isInitialized: true } as unknown as DataSource;

function sampleLines(text: string): number {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

describe('RosterMetrics', () => {
  it('scrapes 1,000 active series, each once', async () => {
    const metrics = new RosterMetrics(sqliteDataSource);
    metrics.onModuleInit();
    // 25 route templates × 2 methods: 200 counter series (4 statuses) and 50 histograms of 16 series.
    for (let route = 0; route < 25; route++) {
      for (const method of ['GET', 'POST']) {
        for (const status of [200, 400, 404, 500]) metrics.observeHttp(`/scim/v2/Type${route}/:id`, method, status, 0.003 * (route + 1));
      }
    }
    const series = sampleLines((await metrics.scrape()).join(''));
    expect(series).toBeGreaterThanOrEqual(1000);

    // Each series once, with its labels: a histogram series per bucket, a counter per status.
    const text = (await metrics.scrape()).join('');
    expect(text).toContain('route="/scim/v2/Type24/:id"');
    expect(new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).size).toBe(series);
    // How fast a scrape is belongs to the benchmark (`metrics-scrape`), not to a timed test.
  });

  it('labels a 429 by the limit it hit', async () => {
    const metrics = new RosterMetrics(sqliteDataSource);
    metrics.observeHttp('/oauth/token', 'POST', 429, 0.001);
    metrics.observeHttp('/scim/v2/Users/.search', 'POST', 429, 0.001);
    metrics.observeHttp('/scim/v2/Users/:id', 'PATCH', 429, 0.001);
    const text = (await metrics.scrape()).join('');
    expect(text).toContain('roster_rate_limited_requests_total{limit="token"} 1');
    expect(text).toContain('roster_rate_limited_requests_total{limit="scim_read"} 1');
    expect(text).toContain('roster_rate_limited_requests_total{limit="scim_write"} 1');
  });
});
