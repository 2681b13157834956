import fc from 'fast-check';
import { createTenantWithConnection, requestAccessToken } from '../support/bootstrap.js';
import { databaseKinds } from '../support/databases.js';
import { startRoster, type RosterHarness } from '../support/roster-harness.js';
import { GROUP_SCHEMA, type ScimGroup } from '../support/scim-groups.js';
import { librariesAdmin, SEARCH_REQUEST } from '../support/scim-libraries.js';
import { patchOp, USER_SCHEMA, type ScimUser } from '../support/scim-users.js';

const SCIM = '/scim/v2';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_PARAMS = ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'cursor', 'attributes', 'excludedAttributes'] as const;
const CONCURRENCY = 8;

/** One hostile value: as it goes into a URL (already percent-encoded), and as text in a JSON body. */
interface Hostile {
  readonly url: string;
  readonly text: string;
}

/**
 * Percent-encodes every UTF-16 code unit as UTF-8 would, an unpaired surrogate included (as the
 * three bytes no UTF-8 decoder accepts, "WTF-8"), so a URL carries exactly the hostile text.
 */
function wtf8(text: string): string {
  let url = '';
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      url += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      url += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      url += encodeURIComponent(text[i]);
    }
  }
  return url;
}

const TEXTS = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00',
  '\uDE00\uD83D',
  '\u{1F600}',
  '\uFFFD',
  'x'.repeat(10 * 1024),
  '',
  ' ',
  '../..',
  '\\',
  '"',
  "'; DROP TABLE users; --",
  '\n\r\t',
  '__proto__',
  '-99999999999999999999',
  '99999999999999999999',
  '1e400',
  'NaN',
  '[]',
  'userName eq "\\u0000"',
  'id eq "\\ud800"',
  'emails[value eq "\\u0000"].value eq "x"',
  'meta.lastModified gt "\\u0000"',
  `${USER_SCHEMA}:userName sw "\\udc00"`,
  '('.repeat(3000),
  `userName eq "${'x'.repeat(10 * 1024)}"`,
  'a[b[c]]',
];

/**
 * Percent-encoded garbage no decoder takes (or takes as something else): sent as is. Not `%2E%2E`
 * alone: fetch (WHATWG URL) resolves that segment as `..` before it leaves the client.
 */
const RAW_URLS = ['%', '%%', '%G0', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%ED%BF%BF', '%FF%FE', '%2F', '%2E%2E%2F%2E%2E', '%3F%23', '%25%30%30', '%00%00'];

/** Random strings, the same on every run (fixed seed): any code unit, NUL and lone surrogates weighted up. */
const RANDOM_TEXTS = fc.sample(
  fc.string({
    unit: fc.oneof(fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '%', '"', '\\', '[', ']', ' '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    maxLength: 40,
  }),
  { seed: 13, numRuns: 120 },
);

const HOSTILE: readonly Hostile[] = [
  ...TEXTS.map((text) => ({ url: wtf8(text), text })),
  ...RAW_URLS.map((url) => ({ url, text: url })),
];

interface Probe {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

/**
 * Every path parameter and every query parameter of every SCIM route, and every field of every
 * search body, with each hostile value (the random ones spread over the slots). Nothing may
 * answer 5xx (but /Me's documented 501), whatever engine is underneath; every answer is SCIM JSON.
 */
describe.each(databaseKinds())('Hostile path and query parameters on every SCIM route, on %s', (kind) => {
  let roster: RosterHarness;
  let token: string;
  let user: ScimUser;
  let group: ScimGroup;
  let libraryId: string;
  let created = 0;

  beforeAll(async () => {
    // Limits no burst reaches: every probe must get past the rate limit to the code it aims at.
    roster = await startRoster(kind, { rateLimits: { readPerSecond: 1_000_000, writePerSecond: 1_000_000 } });
    const connection = await createTenantWithConnection(roster.http);
    token = await requestAccessToken(roster.http, connection);
    user = (await roster.http.post<ScimUser>(`${SCIM}/Users`, { token, body: userBody('fuzz-kept@example.com') })).body;
    group = (await roster.http.post<ScimGroup>(`${SCIM}/Groups`, { token, body: groupBody('Fuzz Kept', [user.id]) })).body;
    libraryId = (await librariesAdmin(roster, connection.tenantId).add('Fuzz Library')).id;
    // As it reads now, a member of the group.
    user = (await roster.http.get<ScimUser>(`${SCIM}/Users/${user.id}`, { token })).body;
  });
  afterAll(() => roster.close());

  const userBody = (userName: string) => ({ schemas: [USER_SCHEMA], userName, title: 'Kept' });
  const groupBody = (displayName: string, members: string[] = []) => ({ schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })) });
  const unique = () => (created += 1);

  /** The probes of one hostile value `h`. */
  function probesOf(h: Hostile): Probe[] {
    const probes: Probe[] = [];
    // Path parameters, on every method their route serves (writes with a well-formed body).
    for (const type of ['Users', 'Groups']) {
      const body = type === 'Users' ? userBody(`fuzz-${unique()}@example.com`) : groupBody(`Fuzz ${unique()}`);
      probes.push(
        { method: 'GET', url: `${SCIM}/${type}/${h.url}` },
        { method: 'PUT', url: `${SCIM}/${type}/${h.url}`, body },
        { method: 'PATCH', url: `${SCIM}/${type}/${h.url}`, body: patchOp({ op: 'replace', path: 'title', value: 'x' }) },
        { method: 'DELETE', url: `${SCIM}/${type}/${h.url}` },
        { method: 'POST', url: `${SCIM}/${type}/${h.url}/.search`, body: { schemas: [SEARCH_REQUEST] } },
      );
    }
    for (const path of ['Libraries', 'ResourceTypes', 'Schemas', 'Me', '']) probes.push({ method: 'GET', url: `${SCIM}/${path}${path ? '/' : ''}${h.url}` });
    probes.push({ method: 'POST', url: `${SCIM}/Me/${h.url}`, body: {} });
    // Query parameters of the lists, and a hostile parameter name.
    for (const type of ['Users', 'Groups', 'Libraries']) {
      for (const name of LIST_PARAMS) probes.push({ method: 'GET', url: `${SCIM}/${type}?${name}=${h.url}` });
      probes.push({ method: 'GET', url: `${SCIM}/${type}?${h.url}=1&count=1` });
    }
    // Projection parameters of single-resource answers; writes repeat what is stored, so a
    // projection that fails after the write still leaves the data as it was.
    for (const name of ['attributes', 'excludedAttributes']) {
      const query = `?${name}=${h.url}`;
      probes.push(
        { method: 'GET', url: `${SCIM}/Users/${user.id}${query}` },
        { method: 'PUT', url: `${SCIM}/Users/${user.id}${query}`, body: userBody('fuzz-kept@example.com') },
        { method: 'PATCH', url: `${SCIM}/Users/${user.id}${query}`, body: patchOp({ op: 'replace', path: 'title', value: 'Kept' }) },
        { method: 'POST', url: `${SCIM}/Users${query}`, body: userBody(`fuzz-${unique()}@example.com`) },
        { method: 'GET', url: `${SCIM}/Groups/${group.id}${query}` },
        { method: 'PATCH', url: `${SCIM}/Groups/${group.id}${query}`, body: patchOp({ op: 'replace', path: 'displayName', value: 'Fuzz Kept' }) },
        { method: 'POST', url: `${SCIM}/Groups${query}`, body: groupBody(`Fuzz ${unique()}`) },
        { method: 'GET', url: `${SCIM}/Libraries/${libraryId}${query}` },
      );
    }
    // Search bodies, field by field, and a hostile query next to a good body.
    for (const path of ['/Users/.search', '/Groups/.search', '/Libraries/.search', '/.search']) {
      for (const name of LIST_PARAMS) {
        const value = name === 'attributes' || name === 'excludedAttributes' ? [h.text] : h.text;
        probes.push({ method: 'POST', url: `${SCIM}${path}`, body: { schemas: [SEARCH_REQUEST], [name]: value } });
      }
      probes.push({ method: 'POST', url: `${SCIM}${path}?filter=${h.url}`, body: { schemas: [SEARCH_REQUEST], count: 1 } });
    }
    // Discovery and /Me take no parameters: they must ignore hostile ones.
    for (const path of ['ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Me']) {
      probes.push({ method: 'GET', url: `${SCIM}/${path}?attributes=${h.url}&${h.url}=${h.url}` });
    }
    return probes;
  }

  it('never answers 5xx and always answers SCIM JSON, and leaves the resources it could not address alone', async () => {
    const probes = HOSTILE.flatMap(probesOf);
    // Each random string goes to one slot of a probe set, in turn, so every slot sees some.
    const slots = probesOf({ url: 'x', text: 'x' }).length;
    RANDOM_TEXTS.forEach((text, i) => probes.push(probesOf({ url: wtf8(text), text })[(i * 7) % slots]));
    const failures: string[] = [];
    for (let i = 0; i < probes.length; i += CONCURRENCY) {
      await Promise.all(
        probes.slice(i, i + CONCURRENCY).map(async (probe) => {
          const response = await roster.http.request(probe.method, probe.url, { token, body: probe.body });
          const isScimJson = /^application\/scim\+json/.test(response.headers.get('content-type') ?? '');
          const isError = response.status >= 400;
          const isScimError = !isError || (response.body as { schemas?: unknown } | undefined)?.schemas?.toString() === ERROR_SCHEMA;
          // RFC 7644 §3.11 lets /Me answer 501 Not Implemented, and Roster's tokens name no user.
          const isServerError = response.status >= 500 && !(response.status === 501 && /^\/scim\/v2\/Me(\/|\?|$)/.test(probe.url));
          if (isServerError || (response.status !== 204 && !isScimJson) || !isScimError) {
            failures.push(`${probe.method} ${probe.url.slice(0, 120)} → ${response.status} ${response.text.slice(0, 200)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(probes.length).toBeGreaterThan(3000);

    const kept = await roster.http.get<ScimUser>(`${SCIM}/Users/${user.id}`, { token });
    expect(kept.status).toBe(200);
    expect({ ...kept.body, meta: undefined }).toEqual({ ...user, meta: undefined });
    const keptGroup = await roster.http.get<ScimGroup>(`${SCIM}/Groups/${group.id}`, { token });
    expect(keptGroup.status).toBe(200);
    expect({ ...keptGroup.body, meta: undefined }).toEqual({ ...group, meta: undefined });
  }, 60_000);
});
