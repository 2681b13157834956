/**
 * FROZEN COPY — never edit, never import from live code. The User attributes whose values the
 * query-engine migration (1764200000000) indexes, as src/scim/schemas defined them when it was
 * written (core User, enterprise and notifications extensions, common id/externalId), with only
 * the characteristics its row format reads. The live schemas may change; this backfill must not.
 *
 * Left out because they got no rows then: `password` (returned: never), `meta` (kept in columns),
 * `schemas`. There were no integer, decimal or dateTime attributes to index, and reference and
 * binary values were keyed exactly like strings, so `type` only tells text, booleans and complex
 * values apart.
 */
export interface FrozenAttribute {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'complex';
  readonly caseExact: boolean;
  readonly multiValued: boolean;
  readonly subAttributes?: readonly FrozenAttribute[];
}

const text = (name: string, caseExact = false): FrozenAttribute => ({ name, type: 'string', caseExact, multiValued: false });
const bool = (name: string): FrozenAttribute => ({ name, type: 'boolean', caseExact: false, multiValued: false });
const complex = (name: string, subs: readonly FrozenAttribute[], multiValued = false): FrozenAttribute => ({
  name,
  type: 'complex',
  caseExact: false,
  multiValued,
  subAttributes: subs,
});
// RFC 7643 §2.4 value/display/type/primary, in that order (emails, phoneNumbers, ims, ...).
const typedValues = (name: string, value = text('value')): FrozenAttribute =>
  complex(name, [value, text('display'), text('type'), bool('primary')], true);

/** Top-level attributes in the order rows were produced: the core schema's, then the common ones. */
export const USER_ATTRIBUTES: readonly FrozenAttribute[] = [
  text('userName'),
  complex('name', ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => text(n))),
  text('displayName'),
  text('nickName'),
  text('profileUrl'),
  text('title'),
  text('userType'),
  text('preferredLanguage'),
  text('locale'),
  text('timezone'),
  bool('active'),
  typedValues('emails'),
  typedValues('phoneNumbers'),
  typedValues('ims'),
  typedValues('photos'),
  complex(
    'addresses',
    [...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map((n) => text(n)), bool('primary')],
    true,
  ),
  complex('groups', [text('value'), text('$ref'), text('display'), text('type')], true),
  typedValues('entitlements'),
  typedValues('roles'),
  typedValues('x509Certificates', text('value', true)),
  text('id', true),
  text('externalId', true),
];

/** Extension attributes, which sit under their URN in the document (RFC 7643 §3.3). */
export const USER_EXTENSIONS: readonly { readonly urn: string; readonly attributes: readonly FrozenAttribute[] }[] = [
  {
    urn: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    attributes: [
      ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => text(n)),
      complex('manager', [text('value'), text('$ref'), text('displayName')]),
    ],
  },
  { urn: 'urn:roster:params:scim:schemas:extension:notifications:2.0:User', attributes: [bool('sendInvitation')] },
];
