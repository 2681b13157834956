import { USER_TABLE } from '../src/database/query/resource-table.js';
import { encodeCursor, queryFingerprint } from '../src/scim/query/cursor.js';
import type { LoadSpec } from './load.js';
import type { SeededUser } from './seed.js';

export interface ScenarioContext {
  readonly users: readonly SeededUser[];
  /** User ids in the order GET /Users lists them without sortBy. */
  readonly listOrder: readonly string[];
  /** A long-lived secret token, so that scrypt is not in the loop of the SCIM scenarios. */
  readonly bearer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Keeps userNames created by POST unique across sizes and runs. */
  readonly runTag: string;
}

interface ScenarioBase {
  readonly name: string;
  readonly title: string;
  /** Its N = 100,000 p50 must stay within `latencyFactor` × its N = 1,000 p50 (issue 5 goals). */
  readonly sizeSensitive: boolean;
  readonly latencyFactor: number;
  /** Its p50 must stay within `factor` × the named scenario's p50 at the same N (a deep page against the first). */
  readonly comparedTo?: { readonly scenario: string; readonly factor: number };
}

export interface BuiltScenario extends ScenarioBase {
  readonly built: true;
  load(context: ScenarioContext): LoadSpec;
}

export interface PendingScenario extends ScenarioBase {
  readonly built: false;
  /** The issue that builds the endpoint; the scenario is listed, never faked. */
  readonly issue: number;
}

export type Scenario = BuiltScenario | PendingScenario;

const SCIM = '/scim/v2';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const STANDARD = { sizeSensitive: true, latencyFactor: 1.25 } as const;

function scim(context: ScenarioContext): Record<string, string> {
  return { authorization: `Bearer ${context.bearer}`, 'content-type': 'application/scim+json' };
}

function anyUser(users: readonly SeededUser[]): SeededUser {
  return users[Math.floor(Math.random() * users.length)];
}

/** How deep the deep list pages start: the page an IdP reaches 90 % of the way through a full walk. */
const DEEP_FRACTION = 0.9;
const PAGE_SIZE = 100;

function deepSkip(context: ScenarioContext): number {
  return Math.max(1, Math.floor(DEEP_FRACTION * context.listOrder.length));
}

/** GET /Users?filter=…, a different seeded user on every request. */
function filterScenario(name: string, title: string, filterOf: (user: SeededUser) => string): BuiltScenario {
  const pathFor = (user: SeededUser) => `${SCIM}/Users?filter=${encodeURIComponent(filterOf(user))}`;
  return {
    name,
    title,
    built: true,
    ...STANDARD,
    load: (context) => ({
      method: 'GET',
      path: pathFor(context.users[0]),
      headers: scim(context),
      vary: (request) => ({ ...request, path: pathFor(anyUser(context.users)) }),
    }),
  };
}

function listScenario(name: string, title: string, query: (context: ScenarioContext) => string, extra: Partial<Pick<ScenarioBase, 'latencyFactor' | 'comparedTo'>> = {}): BuiltScenario {
  return {
    name,
    title,
    built: true,
    ...STANDARD,
    ...extra,
    load: (context) => ({ method: 'GET', path: `${SCIM}/Users?${query(context)}`, headers: scim(context) }),
  };
}

/**
 * The nextCursor the service hands out on the page that ends just before `skip` users (list-query.ts:
 * no filter and no sortBy, so the key is the id alone and the fingerprint has nothing but the type).
 */
function cursorAfter(context: ScenarioContext, skip: number): string {
  const fingerprint = queryFingerprint([USER_TABLE.resourceType, undefined, undefined, undefined]);
  return encodeCursor({ direction: 'after', keys: [context.listOrder[skip - 1]] }, fingerprint);
}

function pending(name: string, title: string, issue: number, latencyFactor = 1.25): PendingScenario {
  return { name, title, issue, built: false, sizeSensitive: true, latencyFactor };
}

/** Issue 5's scenario list, in run order: reads before the writes that grow the tenant. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'get-user',
    title: 'GET /Users/{id}',
    built: true,
    ...STANDARD,
    load: (context) => ({
      method: 'GET',
      path: `${SCIM}/Users/${context.users[0].id}`,
      headers: scim(context),
      vary: (request) => ({ ...request, path: `${SCIM}/Users/${anyUser(context.users).id}` }),
    }),
  },
  filterScenario('filter-user-name', 'GET /Users?filter=userName eq "…"', (user) => `userName eq "${user.userName}"`),
  filterScenario('filter-external-id', 'GET /Users?filter=externalId eq "…"', (user) => `externalId eq "${user.externalId}"`),
  filterScenario('filter-work-email', 'GET /Users?filter=emails[type eq "work"].value eq "…"', (user) => `emails[type eq "work"].value eq "${user.workEmail}"`),
  listScenario('list-index-shallow', 'GET /Users?startIndex=1&count=100', () => `startIndex=1&count=${PAGE_SIZE}`),
  listScenario('list-index-deep', 'GET /Users?startIndex=0.9N+1&count=100', (context) => `startIndex=${deepSkip(context) + 1}&count=${PAGE_SIZE}`, {
    latencyFactor: 5,
    comparedTo: { scenario: 'list-index-shallow', factor: 5 },
  }),
  listScenario('list-cursor-shallow', 'GET /Users?cursor=&count=100 (first page)', () => `cursor=&count=${PAGE_SIZE}`),
  listScenario('list-cursor-deep', 'GET /Users?cursor=…&count=100 (the page at 0.9N)', (context) => `cursor=${cursorAfter(context, deepSkip(context))}&count=${PAGE_SIZE}`, {
    comparedTo: { scenario: 'list-cursor-shallow', factor: 1.25 },
  }),
  pending('get-group-no-members', 'GET /Groups/{id}?excludedAttributes=members', 6),
  pending('patch-group-small', 'PATCH add one member to a small group', 6),
  pending('patch-group-large', 'PATCH add one member to a 50,000-member group', 6),
  {
    name: 'patch-user',
    title: 'PATCH /Users/{id} replace active',
    built: true,
    ...STANDARD,
    load: (context) => ({
      method: 'PATCH',
      path: `${SCIM}/Users/${context.users[0].id}`,
      headers: scim(context),
      vary: (request) => ({
        ...request,
        path: `${SCIM}/Users/${anyUser(context.users).id}`,
        body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: Math.random() < 0.5 }] }),
      }),
    }),
  },
  {
    name: 'put-user',
    title: 'PUT /Users/{id}',
    built: true,
    ...STANDARD,
    load: (context) => ({
      method: 'PUT',
      path: `${SCIM}/Users/${context.users[0].id}`,
      headers: scim(context),
      vary: (request) => {
        const user = anyUser(context.users);
        const displayName = `Bench User ${Math.random().toString(36).slice(2, 8)}`;
        const body = { schemas: [CORE_USER], userName: user.userName, displayName, active: true, emails: [{ value: user.userName, type: 'work', primary: true }] };
        return { ...request, path: `${SCIM}/Users/${user.id}`, body: JSON.stringify(body) };
      },
    }),
  },
  {
    name: 'post-user',
    title: 'POST /Users',
    built: true,
    ...STANDARD,
    load: (context) => {
      let created = 0;
      return {
        method: 'POST',
        path: `${SCIM}/Users`,
        headers: scim(context),
        vary: (request) => {
          created += 1;
          const userName = `bench.new.${context.runTag}.${created}@example.com`;
          const body = { schemas: [CORE_USER], userName, displayName: `New ${created}`, active: true };
          return { ...request, body: JSON.stringify(body) };
        },
      };
    },
  },
  {
    name: 'token',
    title: 'POST /oauth/token (scrypt-bound by design)',
    built: true,
    sizeSensitive: false,
    latencyFactor: Number.POSITIVE_INFINITY,
    load: (context) => ({
      method: 'POST',
      path: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${context.clientId}:${context.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }),
  },
];
