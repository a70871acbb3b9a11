// C24: with trustedSources: subnet, the subnet must cover every cluster server address, and
// should not trust much more than that: a trusted source reaches every port of the main PBX.
import { Address4 } from 'ip-address';
import { serverHostname } from '../../../model/hosts.js';
import { inNetwork, networkAround, networkOf, prefixLength, smallestCoveringPrefix } from '../../../model/ipv4.js';
import type { Rule } from '../context.js';

/** Never warn about a /24 or narrower: the guide itself trusts the whole /24 (CL-CFG). */
const ALWAYS_FINE_PREFIX = 24;
/** Wider than this can be no cluster's LAN: an error (0.0.0.0/0 would trust all of IPv4). */
const WIDEST_ALLOWED_PREFIX = 16;
/** Bits wider than the covering network before a warning (4 bits: 16 times the addresses). */
const SLACK_BITS = 4;

export const firewallSubnetCovers: Rule = ({ spec, bag }) => {
  const fw = spec.firewall;
  if (fw?.trustedSources !== 'subnet' || !fw.subnet) return;
  const net = new Address4(fw.subnet);
  (spec.servers ?? []).forEach((s, i) => {
    if (!new Address4(s.privateIp).isInSubnet(net)) {
      bag.add('firewall_subnet_not_covering', ['firewall', 'subnet'], { subnet: fw.subnet!, ip: s.privateIp, host: serverHostname(s) }, {
        related: [{ message: `${s.privateIp} is declared here`, path: ['servers', i, 'privateIp'] }],
      });
    }
  });
};

export const firewallSubnetWidth: Rule = ({ spec, bag }) => {
  const fw = spec.firewall;
  if (fw?.trustedSources !== 'subnet' || !fw.subnet) return;
  const prefix = prefixLength(fw.subnet);
  const ips = (spec.servers ?? []).map((s) => s.privateIp);
  const covering = smallestCoveringPrefix(ips);
  if (prefix === undefined) return;
  const count = (2 ** (32 - prefix)).toLocaleString('en-US');
  const needed = covering === undefined ? ALWAYS_FINE_PREFIX : Math.min(covering, ALWAYS_FINE_PREFIX);
  // Without servers the subnet is still what the PBX would trust: its own /24 is the example.
  const neededNet = networkAround(ips[0] ?? spec.pbx.host?.privateIp ?? networkOf(fw.subnet)!.split('/')[0]!, needed)!;
  if (prefix < WIDEST_ALLOWED_PREFIX) {
    bag.add('firewall_subnet_unsafe', ['firewall', 'subnet'], { subnet: fw.subnet, count, needed: neededNet });
    return;
  }
  if (covering === undefined) return;
  if (ips.some((ip) => !inNetwork(ip, fw.subnet!))) return; // firewall_subnet_not_covering says what matters
  if (prefix >= needed - SLACK_BITS) return;
  bag.add('firewall_subnet_too_wide', ['firewall', 'subnet'], { subnet: fw.subnet, count, needed: neededNet });
};

/** `192.168.1.5/24` names a host, not a network: almost always a paste slip. */
export const subnetHostBits: Rule = ({ spec, bag }) => {
  const nets: [string[], string | undefined][] = [
    [['firewall', 'subnet'], spec.firewall?.subnet],
    [['aws', 'subnetCidr'], spec.aws?.subnetCidr],
  ];
  for (const [path, cidr] of nets) {
    if (!cidr) continue;
    const network = networkOf(cidr);
    if (network && network !== cidr) bag.add('subnet_host_bits_set', path, { key: path.join('.'), cidr, network });
  }
};
