import type { ForwardingHeader, TrustProxy } from '../../config/roster-options.js';
import { isAddressInRanges, parseAddress } from './ip-allowlist.js';

type HeaderValue = string | string[] | undefined;

/**
 * The address a request came from. The socket's peer unless it is a trusted proxy; then the
 * forwarding header's entries are walked from the right and the first untrusted one wins, so a
 * client cannot choose its address by sending a header of its own (RFC 7239 §7.4).
 * Returns null when the chain holds something that is not an address (e.g. RFC 7239
 * "unknown" or an obfuscated identifier): callers fail closed on null.
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  headers: Readonly<Record<string, HeaderValue>>,
  trust: TrustProxy,
  header: ForwardingHeader,
): string | null {
  if (!socketAddress) return null;
  const peer = normalise(socketAddress);
  if (trust.kind === 'none' || peer === null) return peer;
  const forwarded = header === 'forwarded' ? forwardedFor(headers.forwarded) : xForwardedFor(headers['x-forwarded-for']);
  const chain: (string | null)[] = [peer, ...forwarded.reverse()];
  for (let hop = 0; hop < chain.length; hop++) {
    const address = chain[hop];
    if (address === null || address === undefined) return null;
    const isLast = hop === chain.length - 1;
    if (isLast || !isTrustedProxy(address, hop, trust)) return address;
  }
  return null;
}

function isTrustedProxy(address: string, hop: number, trust: TrustProxy): boolean {
  if (trust.kind === 'hops') return hop < trust.count;
  return trust.kind === 'cidrs' && isAddressInRanges(address, trust.cidrs);
}

// Clients come back with the same few addresses (keep-alive connections, proxies), and parsing
// one costs more than the rest of the lookup: a bounded memo of the pure text → address step.
const NORMALISED_MAX_ENTRIES = 10_000;
const normalised = new Map<string, string | null>();

function normalise(text: string): string | null {
  const known = normalised.get(text);
  if (known !== undefined || normalised.has(text)) return known ?? null;
  const address = parseAddress(text.trim())?.toString() ?? null;
  if (normalised.size >= NORMALISED_MAX_ENTRIES) normalised.clear();
  normalised.set(text, address);
  return address;
}

function joinHeader(value: HeaderValue): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function xForwardedFor(value: HeaderValue): (string | null)[] {
  const text = joinHeader(value);
  if (text.trim() === '') return [];
  return text.split(',').map((entry) => normalise(stripPort(entry.trim())));
}

/** RFC 7239 §4: `for=` of each element; quoted IPv6 in brackets, optional ports. */
function forwardedFor(value: HeaderValue): (string | null)[] {
  const text = joinHeader(value);
  if (text.trim() === '') return [];
  return text.split(',').map((element) => {
    const pair = element
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.toLowerCase().startsWith('for='));
    if (!pair) return null;
    const node = pair.slice(4).trim().replace(/^"(.*)"$/, '$1');
    return normalise(stripPort(node));
  });
}

function stripPort(node: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node);
  if (bracketed) return bracketed[1] ?? node;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(node);
  return v4WithPort ? (v4WithPort[1] ?? node) : node;
}
