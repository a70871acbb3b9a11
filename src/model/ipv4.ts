// IPv4 arithmetic and address classes for the network checks, on top of `ip-address`. Inputs
// passed the schema's ipv4/cidr4 formats, so parsing cannot fail on a validated spec; these
// helpers still return a neutral answer instead of throwing on anything else.
import { Address4 } from 'ip-address';

/**
 * What an address can be used for:
 * - `unusable`: no host can carry it (0.0.0.0/8, loopback, link-local, multicast, 240/4 and
 *   the broadcast address);
 * - `private`: not routed on the Internet (RFC 1918, carrier-grade NAT 100.64/10, and the other
 *   special-purpose blocks that are not globally reachable);
 * - `public`: globally routable. The RFC 5737 documentation blocks (192.0.2/24, 198.51.100/24,
 *   203.0.113/24) count as public: examples use them as stand-ins for public addresses.
 */
export type Ipv4Class = 'unusable' | 'private' | 'public';

/** The block an address falls in; messages word it (see the network rules in phase 3). */
export type Ipv4Kind =
  | 'this-network' // 0.0.0.0/8
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved' // 240.0.0.0/4
  | 'rfc1918'
  | 'cgnat' // 100.64.0.0/10
  | 'special' // other blocks IANA marks as not globally reachable
  | 'documentation' // RFC 5737
  | 'global';

export interface Ipv4Info {
  class: Ipv4Class;
  kind: Ipv4Kind;
}

function parse(s: string): Address4 | undefined {
  try {
    return new Address4(s);
  } catch {
    return undefined;
  }
}

export function classifyIpv4(ip: string): Ipv4Info | undefined {
  const a = parse(ip);
  if (!a || ip.includes('/')) return undefined;
  const is = (kind: Ipv4Kind, c: Ipv4Class): Ipv4Info => ({ class: c, kind });
  if (a.isHostInSubnet(new Address4('0.0.0.0/8'))) return is('this-network', 'unusable');
  if (a.isLoopback()) return is('loopback', 'unusable');
  if (a.isLinkLocal()) return is('link-local', 'unusable');
  if (a.isMulticast()) return is('multicast', 'unusable');
  if (a.isBroadcast()) return is('broadcast', 'unusable');
  if (a.isReserved()) return is('reserved', 'unusable');
  if (a.isPrivate()) return is('rfc1918', 'private');
  if (a.isCGNAT()) return is('cgnat', 'private');
  if (a.isDocumentation()) return is('documentation', 'public');
  if (!a.isGlobal()) return is('special', 'private');
  return is('global', 'public');
}

/** Prefix length of `a.b.c.d/n`, or undefined. */
export function prefixLength(cidr: string): number | undefined {
  const a = parse(cidr);
  return a && cidr.includes('/') ? a.subnetMask : undefined;
}

/** `192.168.1.5/24` → `192.168.1.0/24`. */
export function networkOf(cidr: string): string | undefined {
  const a = parse(cidr);
  if (!a) return undefined;
  return `${a.startAddress().correctForm()}/${a.subnetMask}`;
}

/** True when the address lies in the network (host bits of the network are ignored). */
export function inNetwork(ip: string, cidr: string): boolean {
  const a = parse(ip);
  const n = parse(cidr);
  return !!a && !!n && a.isHostInSubnet(n);
}

/** The /prefix network that contains `ip`. */
export function networkAround(ip: string, prefix: number): string | undefined {
  return networkOf(`${ip}/${prefix}`);
}

/** Longest prefix whose network holds every address (32 for one address); undefined for none. */
export function smallestCoveringPrefix(ips: readonly string[]): number | undefined {
  const parsed = ips.map(parse).filter((a): a is Address4 => !!a);
  if (!parsed.length) return undefined;
  const first = parsed[0]!.bigInt();
  let prefix = 32;
  for (const a of parsed) {
    const diff = first ^ a.bigInt();
    const bits = diff === 0n ? 0 : diff.toString(2).length;
    prefix = Math.min(prefix, 32 - bits);
  }
  return prefix;
}
