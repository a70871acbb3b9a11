// C7, C8: every address is one a host can carry; a public IP is public; a private IP is usually
// private. The schema has already checked the dotted form; this looks at what the address is.
import { classifyIpv4, type Ipv4Kind } from '../../../model/ipv4.js';
import { virtualAddresses } from '../../../model/hosts.js';
import type { Rule } from '../context.js';

/** How each block reads in a message ("{ip} is …"). */
const KIND_TEXT: Record<Ipv4Kind, string> = {
  'this-network': 'in the "this network" block 0.0.0.0/8',
  loopback: 'a loopback address',
  'link-local': 'a link-local (self-assigned) address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'in the reserved block 240.0.0.0/4',
  rfc1918: 'an RFC 1918 private address',
  cgnat: 'a carrier-grade NAT address (100.64.0.0/10)',
  special: 'a special-purpose address that is not routed on the Internet',
  documentation: 'a documentation address',
  global: 'a public address',
};

export const addressClasses: Rule = ({ spec, hosts, bag }) => {
  const all = [...hosts.flatMap((h) => h.addresses), ...virtualAddresses(spec)];
  for (const a of all) {
    const info = classifyIpv4(a.ip);
    if (!info) continue;
    const field = String(a.path[a.path.length - 1]);
    if (info.class === 'unusable') bag.add('host_ip_unusable', a.path, { ip: a.ip, field, kind: KIND_TEXT[info.kind] });
    else if (a.kind === 'public' && info.class !== 'public') bag.add('host_public_ip_not_public', a.path, { ip: a.ip, field, kind: KIND_TEXT[info.kind] });
    else if (a.kind !== 'public' && info.class === 'public') bag.add('host_private_ip_not_private', a.path, { ip: a.ip, field });
  }
};
