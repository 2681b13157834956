import { resolveClientIp } from './client-ip.js';
import { isAddressAllowed, isValidRange } from './ip-allowlist.js';
import type { TrustProxy } from '../../config/roster-options.js';

const none: TrustProxy = { kind: 'none' };
const lb: TrustProxy = { kind: 'cidrs', cidrs: ['10.0.0.0/8'] };
const twoHops: TrustProxy = { kind: 'hops', count: 2 };

describe('resolveClientIp', () => {
  it.each([
    ['ignores X-Forwarded-For without TRUST_PROXY', '10.0.0.5', { 'x-forwarded-for': '1.2.3.4' }, none, '10.0.0.5'],
    ['folds an IPv4-mapped peer to IPv4', '::ffff:127.0.0.1', {}, none, '127.0.0.1'],
    ['takes the client behind a trusted proxy', '10.0.0.5', { 'x-forwarded-for': '203.0.113.9' }, lb, '203.0.113.9'],
    ['takes the right-most untrusted address, not a spoofed left one', '10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.1.1.1' }, lb, '203.0.113.9'],
    ['does not believe a header sent by an untrusted peer', '198.51.100.7', { 'x-forwarded-for': '203.0.113.9' }, lb, '198.51.100.7'],
    ['counts hops from the right', '10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.9.9.9' }, twoHops, '203.0.113.9'],
    ['falls back to the left-most when every hop is trusted', '10.0.0.5', { 'x-forwarded-for': '10.2.2.2' }, lb, '10.2.2.2'],
    ['fails closed on garbage in the chain', '10.0.0.5', { 'x-forwarded-for': 'not-an-ip' }, lb, null],
    ['reads an IPv6 client', '10.0.0.5', { 'x-forwarded-for': '2001:db8::1' }, lb, '2001:db8::1'],
  ])('%s', (_name, socket, headers, trust, expected) => {
    expect(resolveClientIp(socket, headers, trust, 'x-forwarded-for')).toBe(expected);
  });

  it.each([
    ['for=203.0.113.9', '203.0.113.9'],
    ['for="[2001:db8::7]:4711";proto=https', '2001:db8::7'],
    ['for=6.6.6.6, for=203.0.113.9:8080', '203.0.113.9'],
    ['for=unknown', null],
    ['for=_hidden', null],
  ])('reads RFC 7239 Forwarded %s', (header, expected) => {
    expect(resolveClientIp('10.0.0.5', { forwarded: header }, lb, 'forwarded')).toBe(expected);
  });
});

describe('isAddressAllowed', () => {
  it.each([
    ['203.0.113.9', ['203.0.113.0/24'], true],
    ['203.0.114.9', ['203.0.113.0/24'], false],
    ['::ffff:203.0.113.9', ['203.0.113.0/24'], true],
    ['203.0.113.9', ['::ffff:203.0.113.0/120'], true],
    ['2001:db8::1', ['2001:db8::/32'], true],
    ['2001:db9::1', ['2001:db8::/32'], false],
    ['203.0.113.9', ['2001:db8::/32'], false],
    ['203.0.113.9', [], true],
    [null, ['0.0.0.0/0'], false],
    ['203.0.113.9', ['203.0.113.9'], true],
  ])('%s in %j → %s', (address, list, expected) => {
    expect(isAddressAllowed(address, list)).toBe(expected);
  });

  it.each([
    ['10.0.0.0/8', true],
    ['2001:db8::/129', false],
    ['10.0.0.0/33', false],
    ['banana', false],
    ['::1', true],
  ])('validates range %s → %s', (text, expected) => {
    expect(isValidRange(text)).toBe(expected);
  });
});
