import type { LoadSpec } from './load.js';
import type { SeededUser } from './seed.js';

export interface ScenarioContext {
  readonly users: readonly SeededUser[];
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
  pending('filter-user-name', 'GET /Users?filter=userName eq "…"', 4),
  pending('list-index-shallow', 'GET /Users?startIndex=1&count=100', 4),
  pending('list-index-deep', 'GET /Users?startIndex=N-100&count=100', 4, 5),
  pending('list-cursor-shallow', 'GET /Users?cursor (first page of 100)', 4),
  pending('list-cursor-deep', 'GET /Users?cursor (page near the end)', 4),
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
