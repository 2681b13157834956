import { USERS as USER_DEFINITION } from '../../src/modules/users/user.definition.js';
import { parseProjection, projectResource } from '../../src/scim/projection.js';
import type { ScimObject } from '../../src/scim/patch/scim-json.js';
import { topLevelAttributes } from '../../src/scim/validation/resource-context.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { DIFFERENTIAL_USERS } from '../support/differential-users.js';
import { projectResourceByRules } from '../support/projection-by-rules.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { ENTERPRISE, USER_SCHEMA, usersApi } from '../support/scim-users.js';
import { seededRandom } from '../support/seeded-random.js';

// Issue 15: projections are compiled into plans once per distinct attribute list. On the users
// of the query engine's differential test, as served, every plan must give byte for byte what
// the rule-by-rule projection (a frozen copy in test/support) gave.

const NOTIFICATIONS = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';
const ACCESS = 'urn:roster:params:scim:schemas:extension:access:2.0:User';
const SEED = 0x9e37;
const DRAWN = 300;
const context = USER_DEFINITION.type.context;

/** Every name a client can send: attributes, sub-attributes, extension ones, in mixed case. */
function nameCatalog(): string[] {
  const names = ['schemas', 'meta', 'meta.version', 'id', 'externalId'];
  for (const attribute of topLevelAttributes(context)) {
    names.push(attribute.name);
    for (const sub of attribute.subAttributes ?? []) names.push(`${attribute.name}.${sub.name}`);
  }
  for (const { schema } of context.extensions) {
    for (const attribute of schema.attributes) {
      names.push(`${schema.id}:${attribute.name}`);
      for (const sub of attribute.subAttributes ?? []) names.push(`${schema.id}:${attribute.name}.${sub.name}`);
    }
  }
  return [...new Set(names)];
}

function drawProjections(): { attributes?: string; excludedAttributes?: string }[] {
  const names = nameCatalog();
  const next = seededRandom(SEED);
  const pick = (): string => {
    const name = names[Math.floor(next() * names.length)];
    return next() < 0.2 ? name.toUpperCase() : name;
  };
  const list = (): string => Array.from({ length: 1 + Math.floor(next() * 4) }, pick).join(',');
  const drawn: { attributes?: string; excludedAttributes?: string }[] = [{}, { attributes: 'userName' }, { excludedAttributes: 'emails' }, { attributes: `${ACCESS}:effectiveRoles` }];
  for (let i = 0; i < DRAWN; i += 1) {
    const kind = next();
    if (kind < 0.45) drawn.push({ attributes: list() });
    else if (kind < 0.9) drawn.push({ excludedAttributes: list() });
    else drawn.push({ attributes: list(), excludedAttributes: list() });
  }
  return drawn;
}

describe.each(databaseKinds())('Projection plans against the rule-by-rule projection on %s', (kind) => {
  let roster: RosterHarness;
  let served: ScimObject[];

  beforeAll(async () => {
    roster = await startRoster(kind);
    const token = await requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
    const users = usersApi(roster, token);
    const group = await roster.http.post<{ id: string }>('/scim/v2/Groups', { token, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone' } });
    served = [];
    for (const body of DIFFERENTIAL_USERS) {
      const created = await users.post({ schemas: [USER_SCHEMA, ...[ENTERPRISE, NOTIFICATIONS].filter((urn) => urn in body)], ...body });
      expect(created.status).toBe(201);
      await roster.http.patch(`/scim/v2/Groups/${group.body.id}`, {
        token,
        body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: created.body.id }] }] },
      });
      // Everything the service can answer about the user: the default set and the `returned: request` ones.
      const full = await roster.http.get<ScimObject>(`/scim/v2/Users/${created.body.id}`, { token });
      const requested = await roster.http.get<ScimObject>(`/scim/v2/Users/${created.body.id}?attributes=${ACCESS}:effectiveRoles,${ACCESS}:effectiveLibraries`, { token });
      served.push({ ...full.body, [ACCESS]: { ...((full.body[ACCESS] as ScimObject | undefined) ?? {}), ...((requested.body[ACCESS] as ScimObject | undefined) ?? {}) } });
    }
  });
  afterAll(() => roster.close());

  it(`gives the same answers for ${DRAWN + 4} drawn attribute lists over every user`, () => {
    let compared = 0;
    for (const params of drawProjections()) {
      let projection;
      try {
        projection = parseProjection(params, context);
      } catch {
        continue; // a name the schemas refuse is refused before any projection
      }
      for (const user of served) {
        expect([params, JSON.stringify(projectResource(user, projection, context))]).toEqual([params, JSON.stringify(projectResourceByRules(user, projection, context))]);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(DRAWN * DIFFERENTIAL_USERS.length * 0.8);
    expect(served.some((user) => Array.isArray(user.groups))).toBe(true);
  });

  it('hands out one parsed projection per distinct list, so its plan is compiled once', () => {
    const first = parseProjection({ attributes: 'userName,emails.value' }, context);
    expect(parseProjection({ attributes: 'userName,emails.value' }, context)).toBe(first);
    expect(parseProjection({ attributes: 'userName' }, context)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
