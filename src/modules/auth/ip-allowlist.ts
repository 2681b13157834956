import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses an address, folding IPv4-mapped IPv6 (`::ffff:10.0.0.1`) to plain IPv4. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(text)) return null;
  return ipaddr.process(text);
}

/** A CIDR or a single address (as /32 or /128); IPv4-mapped IPv6 ranges fold to IPv4 ranges. */
export function parseRange(text: string): Range | null {
  const trimmed = text.trim();
  if (!trimmed.includes('/')) {
    const address = parseAddress(trimmed);
    return address ? [address, address.kind() === 'ipv4' ? 32 : 128] : null;
  }
  if (!ipaddr.isValidCIDR(trimmed)) return null;
  const [address, bits] = ipaddr.parseCIDR(trimmed);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

export function isValidRange(text: string): boolean {
  return parseRange(text) !== null;
}

/**
 * True when the address lies in one of the ranges. An empty allowlist allows everyone; an
 * address or range that cannot be parsed never matches, so a bad value fails closed.
 */
export function isAddressAllowed(address: string | null, allowlist: readonly string[]): boolean {
  if (allowlist.length === 0) return true;
  return address !== null && isAddressInRanges(address, allowlist);
}

/** True when the address parses and lies in one of the ranges that parse. */
export function isAddressInRanges(address: string, ranges: readonly string[]): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  return ranges.some((text) => {
    const range = parseRange(text);
    return range !== null && range[0].kind() === parsed.kind() && parsed.match(range);
  });
}
