// C24: with trustedSources: subnet, the subnet must cover every cluster server address.
import { Address4 } from 'ip-address';
import { serverHostname } from '../../../model/hosts.js';
import type { Rule } from '../context.js';

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
