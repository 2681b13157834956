import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be sent (DESIGN.md "Events"): `https://` to a public address, unless
 * private targets are allowed (development and tests). Checked twice: the URL when an endpoint
 * is saved, and the address actually connected to at send time (webhook-sender.ts), because a
 * public name can resolve to an internal address later (DNS rebinding, SSRF).
 */
export interface TargetRules {
  readonly allowPrivateTargets: boolean;
}

/** Why a URL cannot be a webhook target, or undefined when it can. */
export function targetUrlProblem(raw: string, rules: TargetRules): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(rules.allowPrivateTargets && url.protocol === 'http:')) {
    return rules.allowPrivateTargets ? 'url must be http:// or https://' : 'url must be https:// (WEBHOOK_ALLOW_PRIVATE_TARGETS allows http://)';
  }
  if (url.username !== '' || url.password !== '') return 'url must not carry credentials';
  if (url.hash !== '') return 'url must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !isAllowedAddress(host, rules)) return `url names a ${ipaddr.process(host).range()} address; only public addresses are allowed`;
  if (!rules.allowPrivateTargets && /(^|\.)localhost\.?$/i.test(host)) return 'url names localhost; only public addresses are allowed';
  return undefined;
}

/**
 * Whether the service may connect to `address`. Public means ipaddr.js's `unicast` range: every
 * loopback, private, link-local (cloud metadata at 169.254.169.254), shared (100.64/10),
 * unique-local, multicast, reserved and unspecified range is out, and so are the IPv6 ranges
 * that embed an IPv4 address (6to4, NAT64, Teredo), which could wrap a private one.
 */
export function isAllowedAddress(address: string, rules: TargetRules): boolean {
  if (rules.allowPrivateTargets) return true;
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}
