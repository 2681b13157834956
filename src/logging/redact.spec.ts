import { REDACTED, redactForLog, redactText } from './redact.js';

describe('redactForLog', () => {
  it.each([
    ['an Authorization header', { headers: { Authorization: 'Bearer abc' } }, { headers: { Authorization: REDACTED } }],
    ['cookies', { headers: { cookie: 'a=b', 'set-cookie': ['c=d'] } }, { headers: { cookie: REDACTED, 'set-cookie': REDACTED } }],
    ['a form client secret', { body: { grant_type: 'client_credentials', client_secret: 's' } }, { body: { grant_type: 'client_credentials', client_secret: REDACTED } }],
    ['an admin answer', { body: { clientId: 'roster_x', clientSecret: 's', token: 't', tokenId: 'id' } }, { body: { clientId: 'roster_x', clientSecret: REDACTED, token: REDACTED, tokenId: 'id' } }],
    ['a SCIM password', { body: { userName: 'a', password: 'p' } }, { body: { userName: 'a', password: REDACTED } }],
    ['a PATCH of the password path', { Operations: [{ op: 'Replace', path: 'password', value: 'p' }] }, { Operations: [{ op: 'Replace', path: 'password', value: REDACTED }] }],
    [
      'a PATCH of the URN-qualified password path',
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:password', value: 'p' },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:password', value: REDACTED },
    ],
    ['a PATCH of another path', { op: 'replace', path: 'displayName', value: 'Bob' }, { op: 'replace', path: 'displayName', value: 'Bob' }],
    ['a failed query\'s parameters', { err: { query: 'UPDATE users SET data = $1', parameters: ['{"password":"x"}'] } }, { err: { query: 'UPDATE users SET data = $1', parameters: REDACTED } }],
    ['a token inside a message', { detail: 'refused rst_at_abcDEF123-_ for tenant t' }, { detail: `refused rst_at_${REDACTED} for tenant t` }],
  ])('redacts %s', (_name, record, expected) => {
    expect(redactForLog(record)).toEqual(expected);
  });

  it('serialises errors with their causes, and searches them', () => {
    const error = new Error('login failed for Bearer rst_st_secret', { cause: Object.assign(new Error('inner'), { password: 'p' }) });
    const redacted = redactForLog<unknown>({ err: error }) as { err: { type: string; message: string; cause: { password: string } } };
    expect(redacted.err.type).toBe('Error');
    expect(redacted.err.message).toBe(`login failed for Bearer ${REDACTED}`);
    expect(redacted.err.cause.password).toBe(REDACTED);
  });

  it('survives cycles and does not change what it was given', () => {
    const record: Record<string, unknown> = { password: 'p' };
    record.self = record;
    expect(redactForLog(record)).toEqual({ password: REDACTED, self: '[Circular]' });
    expect(record.password).toBe('p');
  });
});

describe('redactText', () => {
  it.each([
    ['Authorization: Basic cm9zdGVyXzE6c2VjcmV0', `Authorization: Basic ${REDACTED}`],
    ['grant_type=client_credentials&client_secret=rst_cs_x', `grant_type=client_credentials&client_secret=${REDACTED}`],
    ['webhook whsec_abc123 rotated', `webhook whsec_${REDACTED} rotated`],
    ['nothing to hide', 'nothing to hide'],
    // Each pattern in every case it matches, past the one-scan shortcut for strings without a credential word.
    ['BEARER abc.def', `BEARER ${REDACTED}`],
    ['basic Zm9vOmJhcg==', `basic ${REDACTED}`],
    ['issued rst_at_abc and rst_st_def', `issued rst_at_${REDACTED} and rst_st_${REDACTED}`],
    ['/oauth?ACCESS_TOKEN=abc&x=1', `/oauth?ACCESS_TOKEN=${REDACTED}&x=1`],
    ['Password=hunter2', `Password=${REDACTED}`],
    ['?token=abc', `?token=${REDACTED}`],
  ])('masks %s', (text, masked) => {
    expect(redactText(text)).toBe(masked);
  });
});
