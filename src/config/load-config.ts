import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConfigError } from './config-error.js';
import {
  DEFAULT_OPTIONS,
  type DatabaseOptions,
  type ForwardingHeader,
  type LogLevel,
  type RosterOptions,
  type TrustProxy,
} from './roster-options.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ServiceConfig {
  readonly port: number;
  readonly host: string;
  /** How long SIGTERM waits for requests in flight before closing their connections (the standalone service only). */
  readonly shutdownGraceSeconds: number;
  readonly options: RosterOptions;
}

export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

export const DEFAULT_DATABASE_URL = 'sqlite:./data/roster.sqlite';
const MIN_ADMIN_TOKEN_LENGTH = 32;
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Reads and validates the whole environment once; the first wrong value throws a ConfigError. */
export function loadServiceConfig(env: Environment): ServiceConfig {
  const port = readInteger(env, 'PORT', 3000, 1, 65535);
  const host = readHost(env);
  const options: RosterOptions = {
    ...DEFAULT_OPTIONS,
    publicUrl: readPublicUrl(env, port),
    database: loadDatabaseOptions(env),
    redisUrl: readRedisUrl(env),
    adminToken: readAdminToken(env),
    trustProxy: readTrustProxy(env),
    trustProxyHeader: readTrustProxyHeader(env),
    rateLimits: {
      readPerSecond: readInteger(env, 'RATE_LIMIT_READ_PER_SEC', DEFAULT_OPTIONS.rateLimits.readPerSecond, 1, 1e6),
      writePerSecond: readInteger(env, 'RATE_LIMIT_WRITE_PER_SEC', DEFAULT_OPTIONS.rateLimits.writePerSecond, 1, 1e6),
    },
    accessTokenTtlSeconds: readInteger(env, 'ACCESS_TOKEN_TTL_SECONDS', DEFAULT_OPTIONS.accessTokenTtlSeconds, 60, 86400),
    logLevel: readLogLevel(env),
    webhooks: {
      ...DEFAULT_OPTIONS.webhooks,
      allowPrivateTargets: readBoolean(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      timeoutMs: readInteger(env, 'WEBHOOK_TIMEOUT_SECONDS', DEFAULT_OPTIONS.webhooks.timeoutMs / 1000, 1, 60) * 1000,
    },
  };
  const shutdownGraceSeconds = readInteger(env, 'SHUTDOWN_GRACE_SECONDS', DEFAULT_SHUTDOWN_GRACE_SECONDS, 0, 600);
  return { port, host, shutdownGraceSeconds, options };
}

/** `DATABASE_URL` alone, for the migration CLI and the offline admin CLI. */
export function loadDatabaseOptions(env: Environment): DatabaseOptions {
  const url = nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new ConfigError('DATABASE_URL', 'needs a file after "sqlite:" (or "sqlite::memory:")');
    return { kind: 'sqlite', file };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url };
  }
  throw new ConfigError('DATABASE_URL', 'must start with "sqlite:" or "postgres://"');
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readInteger(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

function readBoolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'must be true or false');
}

function readHost(env: Environment): string {
  const host = nonEmpty(env.HOST) ?? '0.0.0.0';
  if (isIP(host) === 0 && !/^[a-z0-9.-]+$/i.test(host)) {
    throw new ConfigError('HOST', `must be an IP address or a host name (got ${JSON.stringify(host)})`);
  }
  return host;
}

function readPublicUrl(env: Environment, port: number): string {
  const raw = nonEmpty(env.PUBLIC_URL) ?? `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an absolute http(s) URL (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_URL', `must use http or https (got ${JSON.stringify(raw)})`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('PUBLIC_URL', 'must not carry a query, fragment or credentials');
  }
  return raw.replace(/\/+$/, '');
}

function readRedisUrl(env: Environment): string | undefined {
  const raw = nonEmpty(env.REDIS_URL);
  if (raw === undefined) return undefined;
  if (!/^rediss?:\/\/./.test(raw)) {
    throw new ConfigError('REDIS_URL', 'must start with "redis://" or "rediss://"');
  }
  return raw;
}

function readAdminToken(env: Environment): string | undefined {
  const raw = env.ADMIN_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError('ADMIN_TOKEN', `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long`);
  }
  return raw;
}

/** `TRUST_PROXY`: a hop count ("1") or a comma-separated list of proxy CIDRs; `true`/`*` are refused. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = nonEmpty(raw);
  if (value === undefined) return { kind: 'none' };
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count < 1 || count > 10) throw new ConfigError('TRUST_PROXY', 'hop count must be from 1 to 10');
    return { kind: 'hops', count };
  }
  const cidrs = value.split(',').map((part) => part.trim()).filter(Boolean);
  for (const cidr of cidrs) {
    if (!isCidrOrAddress(cidr)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be a hop count or a list of proxy CIDRs, never a blanket yes (got ${JSON.stringify(cidr)})`,
      );
    }
  }
  return { kind: 'cidrs', cidrs };
}

function readTrustProxy(env: Environment): TrustProxy {
  return parseTrustProxy(env.TRUST_PROXY);
}

function readTrustProxyHeader(env: Environment): ForwardingHeader {
  const raw = nonEmpty(env.TRUST_PROXY_HEADER)?.toLowerCase() ?? 'x-forwarded-for';
  if (raw !== 'x-forwarded-for' && raw !== 'forwarded') {
    throw new ConfigError('TRUST_PROXY_HEADER', 'must be "x-forwarded-for" or "forwarded"');
  }
  return raw;
}

function readLogLevel(env: Environment): LogLevel {
  const raw = nonEmpty(env.LOG_LEVEL)?.toLowerCase() ?? 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (!level) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function isCidrOrAddress(text: string): boolean {
  return text.includes('/') ? ipaddr.isValidCIDR(text) : ipaddr.isValid(text);
}
