import { USERS as USER_DEFINITION } from '../../src/modules/users/user.definition.js';
import { ScimError } from '../../src/scim/errors.js';
import type { CompareFilter } from '../../src/scim/filter/ast.js';
import { compileMatcher } from '../../src/scim/filter/evaluate.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds, type DatabaseKind } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { DIFFERENTIAL_USERS as USERS } from '../support/differential-users.js';
import { ENTERPRISE, patchOp, type ScimUser, USER_SCHEMA, usersApi, type UsersApi } from '../support/scim-users.js';
import { seededRandom } from '../support/seeded-random.js';

// The differential test of the query engine (STYLE.md §7): a few hundred filters drawn from a
// fixed-seed generator run through SQL on every engine of this run and through the in-memory
// evaluator (src/scim/filter/evaluate.ts) over the users as served; all must select the same
// users, or all must refuse the filter with invalidFilter.

const NOTIFICATIONS = 'urn:roster:params:scim:schemas:extension:notifications:2.0:User';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const FILTER_COUNT = 400;
const SEED = 0x5c1a;


/** Writes after the first POST, so lastModified differs and the filter index must follow. */
const PATCHES: [userName: string, path: string, value: unknown][] = [
  ['sybil@example.com', 'title', 'President'],
  ['bob@example.com', 'active', true],
  ['carol@example.com', 'emails[value eq "carol@example.com"].type', 'home'],
  ['trent@example.com', `${ENTERPRISE}:department`, 'Security'],
  ['peggy@example.com', 'nickName', ''],
];

/** Look-alikes in places that must never be found: a deleted user, another tenant. */
const GONE = { userName: 'gone@example.com', externalId: 'ext-A', displayName: 'Alice Liddell', title: 'Engineer' };
const OTHER_TENANT = [
  { userName: 'Alice@Example.com', externalId: 'ext-A', title: 'Engineer', emails: [{ value: 'alice@example.com', type: 'work' }] },
  { userName: 'frank', displayName: 'frank' },
  { userName: 'ghost@example.com', externalId: 'ext-b', active: false, nickName: 'STRASSE' },
];

interface Engine {
  readonly roster: RosterHarness;
  readonly users: UsersApi;
  /** The tenant's users as served, in the order of USERS. */
  readonly served: ScimUser[];
  readonly ids: ReadonlySet<string>;
}

function withSchemas(body: Record<string, unknown>): Record<string, unknown> {
  return { schemas: [USER_SCHEMA, ...[ENTERPRISE, NOTIFICATIONS].filter((urn) => urn in body)], ...body };
}

async function seed(roster: RosterHarness): Promise<Engine> {
  const token = async () => requestAccessToken(roster.http, await createTenantWithConnection(roster.http));
  const users = usersApi(roster, await token());
  const other = usersApi(roster, await token());
  const created = async (api: UsersApi, body: Record<string, unknown>): Promise<ScimUser> => {
    const response = await api.post(withSchemas(body));
    if (response.status !== 201) throw new Error(`seeding ${String(body.userName)}: ${response.status} ${response.text}`);
    return response.body;
  };
  const gone = await created(users, GONE);
  const phoenix = await created(users, { userName: 'phoenix@example.com', title: 'Ashes', externalId: 'ext-A', emails: [{ value: 'ashes@example.com' }] });
  expect((await users.delete(phoenix.id)).status).toBe(204);
  const ids = new Map<string, string>();
  for (const body of USERS) ids.set(body.userName as string, (await created(users, body)).id);
  expect(ids.get('phoenix@example.com')).toBe(phoenix.id); // restored: the stale index rows must be gone
  for (const [userName, path, value] of PATCHES) {
    const response = await users.patch(ids.get(userName) ?? '', patchOp({ op: 'replace', path, value }));
    expect(response.status).toBe(200);
  }
  expect((await users.delete(gone.id)).status).toBe(204);
  for (const body of OTHER_TENANT) await created(other, body);
  const listed = await roster.http.get<{ totalResults: number; Resources: ScimUser[] }>('/scim/v2/Users?count=1000', { token: users.token });
  expect(listed.body.totalResults).toBe(USERS.length);
  const byId = new Map(listed.body.Resources.map((u) => [u.id, u]));
  const served = USERS.map((body) => byId.get(ids.get(body.userName as string) ?? '') as ScimUser);
  expect(served.every((u) => u !== undefined)).toBe(true);
  return { roster, users, served, ids: new Set(byId.keys()) };
}

/** Literals that depend on the engine's data (ids, timestamps), resolved per engine. */
type Ref = { readonly ref: 'id'; readonly user: number; readonly part: 'whole' | 'head' | 'tail' | 'upper' } | {
  readonly ref: 'created' | 'lastModified';
  readonly user: number;
  readonly shiftMs: number;
  readonly zone: string;
};
type Literal = string | number | boolean | null | Ref;

type Gen =
  | { readonly kind: 'compare'; readonly path: string; readonly op: string; readonly value: Literal }
  | { readonly kind: 'present'; readonly path: string; readonly op: string }
  | { readonly kind: 'and' | 'or'; readonly word: string; readonly left: Gen; readonly right: Gen }
  | { readonly kind: 'not' | 'group'; readonly word: string; readonly filter: Gen }
  | { readonly kind: 'valuePath'; readonly path: string; readonly filter: Gen; readonly then?: Gen & { kind: 'compare' } }
  | { readonly kind: 'raw'; readonly text: string };

type ValueType = 'text' | 'boolean' | 'dateTime' | 'id' | 'constant' | 'complex';

interface PathSpec {
  readonly path: string;
  readonly type: ValueType;
  /** Where the served JSON holds the values the literals are drawn from. */
  readonly keys?: readonly string[];
}

const text = (path: string, keys = path.split('.')): PathSpec => ({ path, type: 'text', keys });
// A path listed twice is drawn twice as often.
const PATHS: readonly PathSpec[] = [
  text('userName'),
  text('userName'),
  text('displayName'),
  text('title'),
  text('nickName'),
  text('externalId'),
  text('name.givenName'),
  text('name.familyName'),
  text('name.formatted'),
  text('emails', ['emails', 'value']),
  text('emails.value'),
  text('emails.value'),
  text('emails.type'),
  text('emails.display'),
  text('phoneNumbers.value'),
  text('phoneNumbers.type'),
  text('addresses.type'),
  text('addresses.locality'),
  text('profileUrl'),
  text('x509Certificates.value'),
  text(`${ENTERPRISE}:employeeNumber`, [ENTERPRISE, 'employeeNumber']),
  text(`${ENTERPRISE}:department`, [ENTERPRISE, 'department']),
  text(`${ENTERPRISE}:manager.value`, [ENTERPRISE, 'manager', 'value']),
  text(`${ENTERPRISE}:manager`, [ENTERPRISE, 'manager', 'value']),
  { path: 'active', type: 'boolean' },
  { path: 'emails.primary', type: 'boolean' },
  { path: 'addresses.primary', type: 'boolean' },
  { path: `${NOTIFICATIONS}:sendInvitation`, type: 'boolean' },
  { path: 'meta.created', type: 'dateTime' },
  { path: 'meta.lastModified', type: 'dateTime' },
  { path: 'meta.resourceType', type: 'constant' },
  { path: 'id', type: 'id' },
  { path: 'name', type: 'complex' },
  { path: 'addresses', type: 'complex' },
];

/** `attr[...]`: the bracketed attribute and the sub-attributes the inside may name. */
const VALUE_PATHS: readonly { readonly path: string; readonly subs: readonly PathSpec[] }[] = [
  {
    path: 'emails',
    subs: [text('value', ['emails', 'value']), text('type', ['emails', 'type']), { path: 'primary', type: 'boolean' }, text('display', ['emails', 'display'])],
  },
  { path: 'emails', subs: [text('value', ['emails', 'value']), text('type', ['emails', 'type']), { path: 'primary', type: 'boolean' }] },
  { path: 'phoneNumbers', subs: [text('value', ['phoneNumbers', 'value']), text('type', ['phoneNumbers', 'type']), { path: 'primary', type: 'boolean' }] },
  { path: 'addresses', subs: [text('type', ['addresses', 'type']), text('locality', ['addresses', 'locality']), { path: 'primary', type: 'boolean' }] },
  { path: 'name', subs: [text('givenName', ['name', 'givenName']), text('familyName', ['name', 'familyName'])] },
  { path: `${ENTERPRISE}:manager`, subs: [text('value', [ENTERPRISE, 'manager', 'value'])] },
];

// Strings found nowhere, or only inside values: LIKE wildcards, escapes, folding look-alikes.
// Also values only a deleted user, another tenant or an overwritten write ever had.
const STRAY = [
  ...['', 'zzz', 'Ashes', 'gone@example.com', 'ghost@example.com', 'Vice President', 'nobody@example.com'],
  ...['%', '_', '\\', '"', "'", ' ', '%_', 'a%', '_b', 'é', 'É', 'ss', 'SS', 'ß', 'ẞ', 'İ', 'i', 'ij', 'fi', 'dž', '😀', '\uE000', 'x'.repeat(250)],
];
const DATES = ['2000-01-01T00:00:00Z', '2999-12-31T23:59:59.999Z', '1970-01-01T00:00:00+01:00', '2024-02-29', '+010000-01-01T00:00:00Z', 'yesterday'];
/** Forms the issue names, and corners the generator reaches too rarely; run after the generated ones. */
const PINNED = [
  'emails[not (primary eq true)]',
  'emails[type eq "work" and value co "x"]',
  'emails[type eq "work"].value eq "alice@example.com"',
  'emails[not (value pr)]',
  'emails eq null',
  'active gt true',
  'userName eq 5',
  'nickName eq "" or nickName sw "" or nickName le ""',
  'title eq "Ashes" or emails.value eq "ashes@example.com" or title eq "Vice President"',
  'userName sw "zoe\u0308" and not (userName sw "zoe")',
  'meta.created gt "-000001-01-01T00:00:00Z"',
  // Years past 9999: ISO text of an instant no longer sorts like the instant.
  'meta.created lt "+010000-01-01T00:00:00Z"',
  // Attributes the evaluator can read but the SQL compiler refuses (filter-sql.ts metaTarget).
  'meta.location pr',
  'meta.version pr',
  'meta[created pr]',
];
const SYNTAX_ERRORS = [
  ...['userName eq', 'userName xx "a"', 'not userName pr', 'emails[type[value eq "x"]]', '(userName pr', 'userName eq "open'],
  ...['userName eq 1abc', "userName eq 'a'", 'emails[type eq "work"].value.x eq "y"'],
];

class Generator {
  private readonly next: () => number;

  constructor(
    seed: number,
    /** Served users, to draw literals from. */
    private readonly users: readonly ScimUser[],
  ) {
    this.next = seededRandom(seed);
  }

  filter(depth = 3): Gen {
    const roll = this.next();
    if (depth === 0 || roll < 0.4) return this.atom();
    if (roll < 0.7) return { kind: 'and', word: this.word('and'), left: this.filter(depth - 1), right: this.filter(depth - 1) };
    if (roll < 0.86) return { kind: 'or', word: this.word('or'), left: this.filter(depth - 1), right: this.filter(depth - 1) };
    if (roll < 0.95) return { kind: 'not', word: this.word('not'), filter: this.filter(depth - 1) };
    return { kind: 'group', word: '', filter: this.filter(depth - 1) };
  }

  private atom(): Gen {
    const roll = this.next();
    if (roll < 0.008) return { kind: 'raw', text: this.pick(SYNTAX_ERRORS) };
    if (roll < 0.016) return { kind: 'compare', path: this.pick(['password', 'unknownAttr', 'meta', 'name.nope', 'urn:x:y:userName']), op: 'eq', value: 'x' };
    if (roll < 0.2) return this.valuePath();
    return this.condition(this.pick(PATHS));
  }

  private valuePath(): Gen {
    const { path, subs } = this.pick(VALUE_PATHS);
    const written = this.next() < 0.015 ? 'userName' : this.spell(path);
    const inner = (depth: number): Gen => {
      const roll = this.next();
      if (depth === 0 || roll < 0.55) return this.condition(this.next() < 0.01 ? text('foo') : this.pick(subs), true);
      if (roll < 0.75) return { kind: 'and', word: this.word('and'), left: inner(depth - 1), right: inner(depth - 1) };
      if (roll < 0.9) return { kind: 'or', word: this.word('or'), left: inner(depth - 1), right: inner(depth - 1) };
      return { kind: 'not', word: this.word('not'), filter: inner(depth - 1) };
    };
    const filter = inner(2);
    if (subs.length < 3 || this.next() < 0.7) return { kind: 'valuePath', path: written, filter };
    // The Entra form emails[type eq "work"].value eq "x", which the parser folds into the bracket.
    const then = this.condition(this.next() < 0.6 ? subs[0] : this.pick(subs), true);
    return then.kind === 'compare' ? { kind: 'valuePath', path: written, filter, then } : { kind: 'valuePath', path: written, filter };
  }

  /** One comparison or presence test on `spec`, with an operator and literal suited to its type (mostly). */
  private condition(spec: PathSpec, inBracket = false): Gen {
    const path = inBracket ? this.caseOf(spec.path) : this.spell(spec.path);
    const roll = this.next();
    if (roll < 0.08) return { kind: 'present', path, op: this.word('pr') };
    if (roll < 0.13) return { kind: 'compare', path, op: this.word(this.pick(['eq', 'ne', 'eq', 'ne', 'eq', 'ne', 'co'])), value: null };
    switch (spec.type) {
      case 'boolean':
        if (this.next() < 0.04) return this.compare(path, this.pick(['gt', 'le', 'co']), true);
        return this.compare(path, this.pick(['eq', 'ne']), this.next() < 0.03 ? 'true' : this.next() < 0.5);
      case 'dateTime':
        return this.compare(path, this.pick(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'gt', 'lt', this.next() < 0.2 ? 'co' : 'ge']), this.dateTime(spec.path));
      case 'id':
        return this.compare(path, this.textOp(), {
          ref: 'id',
          user: this.int(this.users.length),
          part: this.pick(['whole', 'whole', 'head', 'tail', 'upper'] as const),
        });
      case 'constant':
        return this.compare(path, this.textOp(), this.pick(['User', 'user', 'Group', 'Use', 'ser', '']));
      case 'complex':
        return this.next() < 0.85 ? { kind: 'present', path, op: this.word('pr') } : this.compare(path, 'eq', 'x');
      case 'text':
        if (this.next() < 0.02) return this.compare(path, this.textOp(), this.pick([5, true, -1.5]));
        return this.compare(path, this.textOp(), this.textLiteral(spec.keys ?? []));
    }
  }

  private compare(path: string, op: string, value: Literal): Gen & { kind: 'compare' } {
    return { kind: 'compare', path, op: this.word(op), value };
  }

  private textOp(): string {
    return this.pick(['eq', 'eq', 'eq', 'ne', 'co', 'co', 'sw', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
  }

  /** Mostly a value some user has, varied in case, cut to a prefix, suffix or infix, or re-encoded. */
  private textLiteral(keys: readonly string[]): string {
    const values = this.users.flatMap((u) => valuesAt(u, keys)).filter((v): v is string => typeof v === 'string');
    if (values.length === 0 || this.next() < 0.2) return this.pick(STRAY);
    const value = this.pick(values);
    const chars = Array.from(value);
    const at = this.int(chars.length + 1);
    switch (this.int(10)) {
      case 0:
        return value.toUpperCase();
      case 1:
        return value.toLowerCase();
      case 2:
        return chars.slice(0, Math.max(1, at)).join('');
      case 3:
        return chars.slice(at).join('');
      case 4:
        return chars.slice(Math.min(at, chars.length - 1), at + 1 + this.int(4)).join('');
      case 5:
        return this.next() < 0.5 ? `${value}x` : chars.slice(0, -1).join('');
      case 6:
        // Full-width forms and decomposed accents: equal after NFKC, different as sent.
        return this.next() < 0.5 ? value.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) : value.normalize('NFD');
      default:
        return value;
    }
  }

  private dateTime(path: string): Literal {
    if (this.next() < 0.25) return this.pick(DATES);
    const ref = path === 'meta.created' && this.next() < 0.8 ? 'created' : this.pick(['created', 'lastModified'] as const);
    return { ref, user: this.int(this.users.length), shiftMs: this.pick([0, 0, 0, 1, -1, 1000, -60_000]), zone: this.pick(['Z', 'Z', '+02:00', '-05:30']) };
  }

  /** Attribute names are case-insensitive, and core ones may carry their schema URN (RFC 7644 §3.10). */
  private spell(path: string): string {
    let written = path;
    const colon = path.lastIndexOf(':');
    if (colon >= 0 && this.next() < 0.4) written = path.slice(colon + 1);
    else if (colon < 0 && this.next() < 0.08) written = `${USER_SCHEMA}:${path}`;
    return this.caseOf(written);
  }

  private caseOf(word: string): string {
    if (this.next() >= 0.12) return word;
    return Array.from(word, (c) => (this.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  }

  private word(keyword: string): string {
    return this.next() < 0.1 ? keyword.toUpperCase() : keyword;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  private int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function valuesAt(value: unknown, keys: readonly string[]): unknown[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (keys.length === 0) return items;
  return items.flatMap((item) => (typeof item === 'object' && item !== null ? valuesAt((item as Record<string, unknown>)[keys[0]], keys.slice(1)) : []));
}

/** RFC 7644 §3.4.2.2 text for a generated filter, with engine-dependent literals filled in from `served`. */
function render(gen: Gen, served: readonly ScimUser[], style: () => number): string {
  const child = (g: Gen, parent: 'and' | 'or') => (g.kind === 'or' && parent === 'and' ? `(${render(g, served, style)})` : render(g, served, style));
  switch (gen.kind) {
    case 'raw':
      return gen.text;
    case 'present':
      return `${gen.path} ${gen.op}`;
    case 'compare':
      return `${gen.path} ${gen.op} ${literalText(gen.value, served, style)}`;
    case 'and':
    case 'or':
      return `${child(gen.left, gen.kind)} ${gen.word} ${child(gen.right, gen.kind)}`;
    case 'not':
      return `${gen.word} (${render(gen.filter, served, style)})`;
    case 'group':
      return `(${render(gen.filter, served, style)})`;
    case 'valuePath':
      return `${gen.path}[${render(gen.filter, served, style)}]${gen.then === undefined ? '' : `.${render(gen.then, served, style)}`}`;
  }
}

function literalText(value: Literal, served: readonly ScimUser[], style: () => number): string {
  if (value === null || typeof value === 'boolean') return style() < 0.1 ? String(value).toUpperCase() : String(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return jsonString(value, style);
  const user = served[value.user];
  if (value.ref === 'id') {
    const id = { whole: user.id, head: user.id.slice(0, 8), tail: user.id.slice(-6), upper: user.id.toUpperCase() }[value.part];
    return jsonString(id, style);
  }
  const instant = Date.parse(user.meta[value.ref]) + value.shiftMs;
  if (value.zone === 'Z') return jsonString(new Date(instant).toISOString(), style);
  const minutes = (value.zone.startsWith('-') ? -1 : 1) * (Number(value.zone.slice(1, 3)) * 60 + Number(value.zone.slice(4)));
  return jsonString(new Date(instant + minutes * 60_000).toISOString().replace('Z', value.zone), style);
}

/** A JSON string (RFC 8259 §7), sometimes with every non-ASCII character \u-escaped. */
function jsonString(value: string, style: () => number): string {
  const json = JSON.stringify(value);
  return style() < 0.2 ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

type Outcome = readonly string[] | 'invalidFilter' | string;

/** The reference answer: userNames the evaluator selects among the served users, or invalidFilter. */
function evaluate(filter: string, served: readonly ScimUser[]): Outcome {
  let matches: (user: ScimUser) => boolean;
  try {
    matches = compileMatcher(parseFilter(filter), USER_DEFINITION.type.resolve);
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidFilter') return 'invalidFilter';
    throw error;
  }
  return served.filter((u) => matches(u)).map((u) => u.userName as string).sort();
}

interface ListBody {
  totalResults: number;
  Resources?: ScimUser[];
  scimType?: string;
}

/** The server's answer, through GET ?filter= or POST /.search. */
async function ask(engine: Engine, filter: string, viaSearch: boolean): Promise<Outcome> {
  const { http } = engine.roster;
  const token = engine.users.token;
  const response = viaSearch
    ? await http.post<ListBody>('/scim/v2/Users/.search', { token, body: { schemas: [SEARCH], filter, count: 1000, attributes: ['userName'] } })
    : await http.get<ListBody>(`/scim/v2/Users?filter=${encodeURIComponent(filter)}&count=1000&attributes=userName`, { token });
  if (response.status === 400 && response.body?.scimType === 'invalidFilter') return 'invalidFilter';
  if (response.status !== 200) return `HTTP ${response.status} ${response.text.slice(0, 300)}`;
  const resources = response.body.Resources ?? [];
  const foreign = resources.filter((u) => !engine.ids.has(u.id));
  if (foreign.length > 0) return `not of the tenant's live users: ${foreign.map((u) => `${String(u.userName)} (${u.id})`).join(', ')}`;
  if (response.body.totalResults !== resources.length) return `totalResults ${response.body.totalResults} for ${resources.length} resources`;
  return resources.map((u) => u.userName as string).sort();
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  return results;
}

const show = (outcome: Outcome): string => (Array.isArray(outcome) ? JSON.stringify(outcome) : String(outcome));

/** The server's answer next to the evaluator's: whom it left out and whom it added, when both are lists. */
function difference(expected: Outcome, got: Outcome): string {
  if (!Array.isArray(expected) || !Array.isArray(got)) return `evaluator ${show(expected)}, SQL ${show(got)}`;
  const missing = expected.filter((name) => !got.includes(name));
  const extra = got.filter((name) => !expected.includes(name));
  return `evaluator selects ${expected.length}, SQL ${got.length}; SQL misses ${JSON.stringify(missing)}, adds ${JSON.stringify(extra)}`;
}

/** What one engine answered, kept for comparing engines once each has run. */
interface Run {
  readonly served: readonly ScimUser[];
  readonly filters: readonly string[];
  readonly answers: readonly Outcome[];
}

// The engines run one after another: passport keeps strategies in one registry per process, so
// a second Roster in the same process would check the first one's tokens against its own database.
describe('Filters: SQL on every engine selects what the in-memory evaluator selects', () => {
  const kinds = databaseKinds();
  const runs = new Map<DatabaseKind, Run>();
  let generated: Gen[] | undefined;

  /** The filter text for one engine; the same style choices (escapes, literal case) on every engine. */
  const textFor = (gen: Gen, served: readonly ScimUser[], index: number): string => render(gen, served, seededRandom(SEED + index));

  it.each(kinds)('selects on %s exactly the users the evaluator selects, for every generated filter', async (kind) => {
    // Several hundred reads a second from one tenant: above the default limit on a fast machine.
    const roster = await startRoster(kind, { rateLimits: { readPerSecond: 100_000, writePerSecond: 100_000 } });
    try {
      const engine = await seed(roster);
      if (generated === undefined) {
        const generator = new Generator(SEED, engine.served);
        generated = [...Array.from({ length: FILTER_COUNT }, () => generator.filter()), ...PINNED.map((text): Gen => ({ kind: 'raw', text }))];
      }
      const filters = generated.map((gen, i) => textFor(gen, engine.served, i));
      const answers = await inBatches(filters, 8, (filter, i) => ask(engine, filter, i % 2 === 1));
      runs.set(kind, { served: engine.served, filters, answers });
      const mismatches = filters.flatMap((filter, i) => {
        const expected = evaluate(filter, engine.served);
        return show(answers[i]) === show(expected) ? [] : [`${filter}\n  on ${kind}: ${difference(expected, answers[i])}`];
      });
      const report = `${mismatches.length} of ${filters.length} filters differ:\n${mismatches.slice(0, 25).join('\n')}`;
      expect(mismatches.length === 0 ? 'no mismatches' : report).toBe('no mismatches');
    } finally {
      await roster.close();
    }
  }, 60_000);

  it('serves the same users and answers the same filters alike on every engine', () => {
    const [first, ...others] = kinds.map((kind) => runs.get(kind));
    expect(first).toBeDefined();
    const strip = ({ id: _id, meta: _meta, ...rest }: ScimUser) => rest;
    for (const run of others) {
      expect(run?.served.map(strip)).toEqual(first?.served.map(strip));
      // Filters naming ids or timestamps differ in text; the rest are the same request everywhere.
      const differing = first?.filters.filter((filter, i) => filter === run?.filters[i] && show(first.answers[i]) !== show(run.answers[i]));
      expect(differing).toEqual([]);
    }
  });

  it('draws a non-trivial set of filters: many match some users, many match none, some are refused', () => {
    const run = runs.get(kinds[0]);
    expect(run).toBeDefined();
    const outcomes = run?.filters.slice(0, FILTER_COUNT).map((filter) => evaluate(filter, run.served)) ?? [];
    const share = (test: (o: Outcome) => boolean) => Math.round((100 * outcomes.filter(test).length) / outcomes.length);
    const shares = {
      matchSome: share((o) => Array.isArray(o) && o.length > 0),
      matchNone: share((o) => Array.isArray(o) && o.length === 0),
      matchAll: share((o) => Array.isArray(o) && o.length === USERS.length),
      refused: share((o) => o === 'invalidFilter'),
    };
    const wanted = {
      matchSome: shares.matchSome >= 25,
      matchNone: shares.matchNone >= 25,
      matchAll: shares.matchAll <= 15,
      refused: shares.refused >= 3 && shares.refused <= 25,
    };
    expect({ shares, wanted }).toEqual({ shares, wanted: { matchSome: true, matchNone: true, matchAll: true, refused: true } });
  });

  it('writes literals the parser reads back unchanged', () => {
    const values = USERS.flatMap((u) => [u.displayName, u.nickName, u.userName]).filter((v): v is string => typeof v === 'string');
    for (const [i, value] of [...values, ...STRAY].entries()) {
      const parsed = parseFilter(`title eq ${jsonString(value, seededRandom(i))}`) as CompareFilter;
      expect(parsed.value).toBe(value);
    }
  });
});
