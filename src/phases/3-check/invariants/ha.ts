// The 3-node HA cluster (pbx.mode: ha): C4 three nodes; C6/C35 one SSH account from pbx01 to
// every host; C17 a blank data disk on premises; C19 the virtual IP inside the nodes' network.
// (C3, nodes that carry only the PBX, is checked with the other identity rules.)
import { inNetwork, networkAround, networkOf, smallestCoveringPrefix } from '../../../model/ipv4.js';
import type { Rule } from '../context.js';

/** The netmask the pre-v22 resource agent gave the VIP (HAG create_pacemaker_resources.sh). */
const ASSUMED_NODE_PREFIX = 24;

export const haNodeCount: Rule = ({ spec, bag }) => {
  if (spec.pbx.mode !== 'ha' || !spec.pbx.nodes) return;
  const count = spec.pbx.nodes.length;
  if (count !== 3) bag.add('ha_node_count', ['pbx', 'nodes'], { count }, { key: true });
};

export const haSshUser: Rule = ({ spec, bag }) => {
  if (spec.pbx.mode !== 'ha' || spec.sshUser) return;
  bag.add('ha_ssh_user_missing', ['pbx', 'mode'], { account: spec.platform === 'aws' ? 'ubuntu' : 'pbx' });
};

export const haDataDisk: Rule = ({ spec, bag }) => {
  if (spec.pbx.mode !== 'ha' || spec.platform !== 'onprem' || spec.pbx.dataDisk) return;
  bag.add('ha_data_disk_missing', ['pbx'], {}, { key: true });
};

/**
 * The nodes' network: aws.subnetCidr on AWS, else firewall.subnet when it holds every node
 * (an explicit fact). Otherwise the /24 the three nodes share, the netmask the pre-v22 resource
 * agent gave the VIP: a VIP outside it cannot move between the nodes, an error. When the nodes
 * themselves are not in one /24 their network cannot be told, so only a warning, which names
 * the network they span.
 */
export const haVirtualIpNetwork: Rule = ({ spec, bag }) => {
  const vip = spec.pbx.virtualIp;
  const nodes = spec.pbx.nodes ?? [];
  if (spec.pbx.mode !== 'ha' || !vip || !nodes.length) return;
  const vipPath = ['pbx', 'virtualIp'];
  const explicit: [string, string][] = [];
  if (spec.platform === 'aws' && spec.aws?.subnetCidr) explicit.push(['aws.subnetCidr', spec.aws.subnetCidr]);
  const fw = spec.firewall?.trustedSources === 'subnet' ? spec.firewall.subnet : undefined;
  if (fw && nodes.every((n) => inNetwork(n.privateIp, fw))) explicit.push(['firewall.subnet', fw]);
  const [from, cidr] = explicit[0] ?? [];
  if (from && cidr) {
    if (!inNetwork(vip, cidr)) {
      bag.add('ha_vip_outside_subnet', vipPath, { ip: vip, network: networkOf(cidr) ?? cidr, from }, { related: [{ message: `${from} is set here`, path: from.split('.') }] });
    }
    return;
  }
  const nodesNet = networkAround(nodes[0]!.privateIp, ASSUMED_NODE_PREFIX)!;
  if (nodes.every((n) => inNetwork(n.privateIp, nodesNet))) {
    if (!inNetwork(vip, nodesNet)) {
      bag.add('ha_vip_outside_node_network', vipPath, { ip: vip, network: nodesNet }, { related: [{ message: `${nodes[0]!.hostname} is declared here`, path: ['pbx', 'nodes', 0, 'privateIp'] }] });
    }
    return;
  }
  const vipNet = networkAround(vip, ASSUMED_NODE_PREFIX)!;
  const i = nodes.findIndex((n) => !inNetwork(n.privateIp, vipNet));
  if (i < 0) return;
  const node = nodes[i]!;
  const ips = nodes.map((n) => n.privateIp);
  const span = networkAround(ips[0]!, smallestCoveringPrefix(ips) ?? ASSUMED_NODE_PREFIX)!;
  bag.add('ha_vip_outside_node_24', vipPath, { ip: vip, node: node.hostname, nodeIp: node.privateIp, network: span }, { related: [{ message: `${node.hostname} is declared here`, path: ['pbx', 'nodes', i, 'privateIp'] }] });
};
