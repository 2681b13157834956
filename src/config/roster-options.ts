/** Where the data lives: the embedded SQLite file (or memory), or a PostgreSQL server. */
export type DatabaseOptions =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * Which proxies' forwarding headers to believe. Never a blanket yes: either the proxies'
 * addresses (CIDRs) or the number of proxy hops in front of the service.
 */
export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'cidrs'; readonly cidrs: readonly string[] }
  | { readonly kind: 'hops'; readonly count: number };

export type ForwardingHeader = 'x-forwarded-for' | 'forwarded';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Everything the Roster module needs; `main.ts` builds it from the environment, host apps pass their own. */
export interface RosterOptions {
  /** The origin clients reach, without a trailing slash; `meta.location` and `Location` start with it. */
  readonly publicUrl: string;
  readonly database: DatabaseOptions;
  /** Rate-limit counters and cross-replica signals live in Redis when set. */
  readonly redisUrl?: string;
  /** Enables `/admin` when set; at least 32 characters. */
  readonly adminToken?: string;
  readonly trustProxy: TrustProxy;
  readonly trustProxyHeader: ForwardingHeader;
  readonly rateLimits: { readonly readPerSecond: number; readonly writePerSecond: number };
  /** How long a replica reuses a tenant's rate-limit overrides before reading them again; no env var. */
  readonly tenantSettingsCacheMs: number;
  readonly accessTokenTtlSeconds: number;
  /** Failed `/oauth/token` requests one client IP may make per minute before it gets 429. */
  readonly tokenFailuresPerMinute: number;
  readonly bodyLimitBytes: number;
  /**
   * Most group members one list or search page carries together (GET /Groups/{id} streams its
   * members and has no limit); a page over it is `400 tooMany`. No env var.
   */
  readonly listMemberLimit: number;
  /**
   * Most operations one `/Bulk` request may hold (RFC 7644 §3.7.4 maxOperations, advertised). Each
   * counts against the tenant's write limit, so the default is the default write limit. No env var.
   */
  readonly bulkMaxOperations: number;
  readonly logLevel: LogLevel;
  readonly webhooks: WebhookOptions;
  /**
   * GET of a user or library by id and the admin access endpoint answered without Nest's guard
   * and interceptor chain when they succeed (src/http/direct-routes.ts); the same answers either
   * way. Default true; false serves them through Nest only. No env var.
   */
  readonly directReads?: boolean;
}

/** Webhook deliveries (DESIGN.md "Events"). */
export interface WebhookOptions {
  /** `WEBHOOK_ALLOW_PRIVATE_TARGETS`: `http://` and loopback/private addresses allowed (development, tests). */
  readonly allowPrivateTargets: boolean;
  /** `WEBHOOK_TIMEOUT_SECONDS` × 1000: one attempt, connecting included. */
  readonly timeoutMs: number;
  /** The waits after each failed attempt (retry-schedule.ts); when spent, the delivery has failed. No env var. */
  readonly retryDelaysMs: readonly number[];
  /** How often a replica looks for new events and due deliveries. No env var. */
  readonly pollMs: number;
  /** Whether this process delivers at all: the CLI, a short-lived process, does not. No env var. */
  readonly deliver: boolean;
  /** Most deliveries one endpoint has pending at once (webhook-fan-out.ts); default 1,000. No env var. */
  readonly pendingWindow?: number;
}

/**
 * How long a webhook delivery waits after its n-th failed attempt: growing from seconds to half a
 * day, 28 hours in all before it is given up (DESIGN.md: retried for at least 24 h); close to
 * the schedules of Svix and Stripe.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5, 30, 120, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 43_200].map((seconds) => seconds * 1000);

/** Options with defaults for everything but the database; host apps spread their overrides on it. */
export const DEFAULT_OPTIONS: Omit<RosterOptions, 'database' | 'publicUrl'> = {
  trustProxy: { kind: 'none' },
  trustProxyHeader: 'x-forwarded-for',
  rateLimits: { readPerSecond: 1000, writePerSecond: 200 },
  tenantSettingsCacheMs: 5000,
  accessTokenTtlSeconds: 3600,
  tokenFailuresPerMinute: 10,
  bodyLimitBytes: 1024 * 1024,
  listMemberLimit: 100_000,
  bulkMaxOperations: 200,
  logLevel: 'info',
  webhooks: { allowPrivateTargets: false, timeoutMs: 10_000, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, pollMs: 250, deliver: true },
};
