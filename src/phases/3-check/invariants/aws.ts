// platform: aws. C21: the HA subnet is a /20 and every instance lies in it; C22: every extended
// server has its Elastic IP; every PBX host or node names its EC2 instance.
import { inNetwork, networkOf, prefixLength } from '../../../model/ipv4.js';
import type { Rule } from '../context.js';

/** AWS-INST: the HA install fails on any other subnet size. */
const HA_SUBNET_PREFIX = 20;

export const awsSubnet: Rule = ({ spec, hosts, bag }) => {
  const cidr = spec.platform === 'aws' ? spec.aws?.subnetCidr : undefined;
  if (!cidr) return;
  const prefix = prefixLength(cidr);
  if (spec.pbx.mode === 'ha' && prefix !== undefined && prefix !== HA_SUBNET_PREFIX) {
    bag.add('aws_subnet_not_20', ['aws', 'subnetCidr'], { subnet: cidr, prefix, example: networkOf(`${cidr.split('/')[0]}/${HA_SUBNET_PREFIX}`) ?? '' });
  }
  for (const h of hosts) {
    for (const a of h.addresses) {
      if (a.kind !== 'private' || inNetwork(a.ip, cidr)) continue;
      bag.add('aws_ip_outside_subnet', a.path, { ip: a.ip, host: h.hostname, subnet: cidr }, { related: [{ message: 'the subnet', path: ['aws', 'subnetCidr'] }] });
    }
  }
};

export const awsElasticIps: Rule = ({ spec, bag }) => {
  if (spec.platform !== 'aws') return;
  (spec.servers ?? []).forEach((s, i) => {
    if (!s.publicIp) bag.add('aws_server_public_ip_missing', ['servers', i], { role: s.role, name: s.name });
  });
};

/** The HA scripts address the PBX nodes by instance id (vars.yml, AWS-INST); nothing takes an
 * extended server's (the AWS guide for scaling servers gives none), so there it is optional
 * and, when given, only checked by the host's preflight against the instance's own id. */
export const awsInstanceIds: Rule = ({ spec, hosts, bag }) => {
  if (spec.platform !== 'aws') return;
  for (const h of hosts) {
    // Only the PBX's own ids are used (vars.yml, the HA failover); an extended server's is
    // optional, as the AWS guide gives none.
    if (h.server) continue;
    const withId = h.index >= 0 ? spec.pbx.nodes?.[h.index] : spec.pbx.host;
    if (withId && !withId.instanceId) bag.add('aws_instance_id_missing', h.path, { host: h.hostname, what: spec.pbx.mode === 'ha' ? 'PBX node' : 'PBX host' });
  }
};
