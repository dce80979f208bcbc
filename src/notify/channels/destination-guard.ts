import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Where a notification must not go unless the operator allows it: loopback, private, shared,
// link-local (cloud metadata at 169.254.169.254), benchmarking, multicast and reserved ranges.
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** True for an address a public webhook must not resolve to (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A destination refused by the guard; the message says why and how to allow it. */
export class DestinationRefusedError extends Error {
  override readonly name = 'DestinationRefusedError';
}

/**
 * Refuses a webhook or Slack URL that is not http(s) or whose host is (or resolves to) a private
 * address, unless `allowPrivate`. Checked when a channel is added and again before each send, so a
 * name that later resolves elsewhere (DNS rebinding) is caught too.
 * @throws DestinationRefusedError
 */
export async function checkDestination(
  url: string,
  options: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> },
): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new DestinationRefusedError(`${parsed.protocol} URLs are not allowed: use http(s)`);
  if (options.allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const resolve =
    options.resolve ?? (async (name: string) => (await lookup(name, { all: true })).map((a) => a.address));
  if (host === 'localhost' || host.endsWith('.localhost'))
    throw new DestinationRefusedError(
      `${host} is this machine; set ADWARDEN_ALLOW_PRIVATE_DESTINATIONS=true to allow it`,
    );
  // A name that does not resolve now is not refused: sending to it fails (and is retried) by itself.
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => [] as string[]);
  const refused = addresses.find(isPrivateAddress);
  if (refused)
    throw new DestinationRefusedError(
      `${host} is a private, loopback or link-local address (${refused}); set ADWARDEN_ALLOW_PRIVATE_DESTINATIONS=true to allow it`,
    );
}
