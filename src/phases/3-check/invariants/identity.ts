// C1, C2, C3, C9: one role per host, so host names and addresses are unique across the cluster;
// C19: the virtual IP belongs to no host.
import type { SpecAddress, SpecHost } from '../../../model/hosts.js';
import { virtualAddresses } from '../../../model/hosts.js';
import type { Spec } from '../../../model/spec.js';
import type { Rule } from '../context.js';

const OWN_HOST_WHY: Record<string, string> = {
  dataflow: 'Data Flow never runs on the PBX host (PortSIP guide "Install Data Flow Service")', // C2, DF-INST
  im: 'pbxplan deploys IM in extended mode on its own host', // C1
  sbc: 'pbxplan deploys the SBC on its own host', // C1
};
const HA_NODE_WHY = 'in HA the three PBX nodes carry the PBX and nothing else'; // C3

/** Why a server may not share a host with the PBX, when a dedicated code explains it better than a plain duplicate. */
function ownHostWhy(spec: Spec, h: SpecHost): string | undefined {
  if (!h.server) return undefined;
  return spec.pbx.mode === 'ha' ? HA_NODE_WHY : OWN_HOST_WHY[h.role];
}

export const uniqueHostnames: Rule = ({ spec, hosts, bag }) => {
  const seen = new Map<string, SpecHost>();
  for (const h of hosts) {
    const key = h.hostname.toLowerCase(); // host names compare case-insensitively
    const first = seen.get(key);
    if (!first) {
      seen.set(key, h);
      continue;
    }
    const related = [{ message: 'first used here', path: first.hostnamePath }];
    const why = first.role === 'pbx' ? ownHostWhy(spec, h) : undefined;
    if (why && h.server) bag.add('server_on_pbx_host', h.hostnamePath, { role: h.role, name: h.server.name, ip: first.hostname, why }, { related });
    else bag.add('host_hostname_duplicate', h.hostnamePath, { hostname: h.hostname }, { related });
  }
};

export const uniqueAddresses: Rule = ({ spec, hosts, bag }) => {
  const seen = new Map<string, { host: string; addr: SpecAddress; pbx: boolean }>();
  const label = (h: SpecHost) => (h.role === 'pbx' ? `PBX ${h.hostname}` : `${h.role} ${h.hostname}`);
  for (const v of virtualAddresses(spec)) seen.set(v.ip, { host: v.kind === 'virtual' ? 'the virtual IP' : 'the PBX public IP', addr: v, pbx: true });
  for (const h of hosts) {
    for (const a of h.addresses) {
      const first = seen.get(a.ip);
      if (!first) {
        seen.set(a.ip, { host: label(h), addr: a, pbx: h.role === 'pbx' });
        continue;
      }
      const related = [{ message: `${a.ip} first used by ${first.host}`, path: first.addr.path }];
      const why = ownHostWhy(spec, h);
      if (first.addr.kind === 'virtual') {
        bag.add('ha_vip_host_address', a.path, { ip: a.ip, host: label(h) }, { related: [{ message: 'the virtual IP', path: first.addr.path }] });
      } else if (first.pbx && why && h.server) {
        bag.add('server_on_pbx_host', a.path, { role: h.role, name: h.server.name, ip: a.ip, why }, { related });
      } else {
        bag.add('host_ip_duplicate', a.path, { ip: a.ip, first: first.host, second: label(h) }, { related });
      }
    }
  }
};
