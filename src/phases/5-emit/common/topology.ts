// What the topology diagram shows, as data: hosts grouped by role, the address every server points
// at (the PBX host, the virtual IP on HA, the Elastic IP on AWS), the sources the PBX trusts, and
// on HA which hosts the control node drives over SSH. The SVG layout (topology-layout.ts) and the
// Mermaid template both draw this one object, each box with the same lines of text.
import type { HostRole } from '../../../model/hosts.js';
import type { Plan, PlanHost, ProcedureItem } from '../../../model/plan.js';
import { perPlan } from './per-plan.js';

/** Tiers of the diagram, top to bottom: the PBX, then servers in the documented restart order. */
export const ROLE_ORDER: readonly HostRole[] = ['pbx', 'media', 'queue', 'meeting', 'ivr', 'im', 'dataflow', 'sbc'];

const ROLE_TITLE: Record<HostRole, [one: string, many: string]> = {
  pbx: ['PBX', 'PBX nodes'],
  media: ['Media server', 'Media servers'],
  queue: ['Queue server', 'Queue servers'],
  meeting: ['Meeting server', 'Meeting servers'],
  ivr: ['IVR server', 'IVR servers'],
  im: ['IM server', 'IM servers'],
  dataflow: ['Data Flow server', 'Data Flow servers'],
  sbc: ['SBC', 'SBC cluster'],
};

/** One line of a box: its text and how it reads (name, address, public address, SSH, note). */
export interface LabelLine {
  text: string;
  cls: 'name' | 'addr' | 'addr public' | 'ssh' | 'note';
}

export interface TopologyHost {
  id: string; // h<index in plan.hosts>: a Mermaid node id that no host name can break
  hostname: string;
  role: HostRole;
  privateIp: string;
  publicIp: string | null;
  /** The portal name, only when it differs from the host name. */
  portalName: string | null;
  /** HA: this host runs every command after host preparation and reaches the others over SSH. */
  control: boolean;
  /** HA: the control node that deploys this host over SSH; null when commands run locally. */
  sshFrom: string | null;
  label: LabelLine[];
}

export interface TopologyGroup {
  id: string; // g_<role>
  role: HostRole;
  title: string;
  hosts: TopologyHost[]; // in plan order
}

/** The address every cluster server, IM and Data Flow is pointed at (-x). */
export interface PbxTarget {
  id: string; // the Mermaid node the servers' arrows end at: the PBX host, or "pbx"
  kind: 'host' | 'vip' | 'eip';
  title: string; // "PBX", "virtual IP", "Elastic IP"
  address: string;
  /** The public address the PBX is reached at, when it has another one. */
  publicIp: string | null;
  /** kind host: the PBX host itself (the target is drawn as that host). */
  hostId: string | null;
  /** HA: the box of the virtual or Elastic IP; empty when the target is the PBX host. */
  label: LabelLine[];
}

export interface TrustedSources {
  title: string;
  entries: { address: string; host: string }[]; // in plan order
}

export interface TopologyView {
  title: string;
  ha: boolean;
  pbx: PbxTarget;
  pbxGroup: TopologyGroup;
  servers: TopologyGroup[]; // by ROLE_ORDER, only roles with hosts
  trusted: TrustedSources | null;
  control: TopologyHost | null;
}

function findItem<K extends ProcedureItem['kind']>(plan: Plan, kind: K): Extract<ProcedureItem, { kind: K }> | undefined {
  for (const phase of plan.procedure) {
    for (const it of phase.items) if (it.kind === kind) return (it as ProcedureItem) as Extract<ProcedureItem, { kind: K }>;
  }
  return undefined;
}

/** Where the PBX lets the cluster in: firewalld trusted sources on the PBX host; on AWS the
 * security group; otherwise (HA on premises) the portal whitelist. */
function trustedSources(plan: Plan, pbxHosts: PlanHost[]): TrustedSources | null {
  // The first host (in plan order) at each address, found once rather than once per source.
  const at = new Map<string, string>();
  for (const h of plan.hosts) {
    for (const a of [h.privateIp, h.publicIp]) if (a !== null && !at.has(a)) at.set(a, h.hostname);
  }
  const hostAt = (address: string) => at.get(address) ?? (address.includes('/') ? 'network' : '');
  for (const h of pbxHosts) {
    const sources = h.steps.flatMap((s) => (s.kind === 'trust-source' ? [s.address] : []));
    if (sources.length) return { title: `Trusted sources (firewalld on ${h.hostname})`, entries: sources.map((address) => ({ address, host: hostAt(address) })) };
  }
  const sg = findItem(plan, 'aws-console');
  if (sg) return { title: `Security group ${sg.securityGroupId}, inbound`, entries: sg.sources.map((s) => ({ address: `${s.ip}/32`, host: s.host })) };
  const wl = findItem(plan, 'portal-whitelist');
  if (wl) return { title: `Portal IP whitelist (until ${wl.expires})`, entries: wl.entries.map((e) => ({ address: e.ip, host: e.host })) };
  return null;
}

function hostLabel(h: Omit<TopologyHost, 'label'>, driven: number): LabelLine[] {
  const lines: LabelLine[] = [
    { text: h.hostname, cls: 'name' },
    { text: h.privateIp, cls: 'addr' },
  ];
  if (h.publicIp) lines.push({ text: `public ${h.publicIp}`, cls: 'addr public' });
  if (h.portalName) lines.push({ text: `portal name ${h.portalName}`, cls: 'note' });
  if (h.control) lines.push({ text: `control node, SSH to ${driven} hosts`, cls: 'ssh' });
  else if (h.sshFrom) lines.push({ text: `deployed over SSH from ${h.sshFrom}`, cls: 'ssh' });
  return lines;
}

/** The diagram's data, built once per Plan (three targets draw it). */
export const topologyView = perPlan(buildTopologyView);

function buildTopologyView(plan: Plan): TopologyView {
  const controlName = plan.hosts.find((h) => h.deployedFrom !== null)?.deployedFrom ?? null;
  const driven = plan.hosts.filter((h) => h.deployedFrom !== null).length;
  const hosts = plan.hosts.map((h, i): TopologyHost => {
    const host = {
      id: `h${i}`,
      hostname: h.hostname,
      role: h.role,
      privateIp: h.privateIp,
      publicIp: h.publicIp,
      portalName: h.serverName !== null && h.serverName !== h.hostname ? h.serverName : null,
      control: h.hostname === controlName,
      sshFrom: h.deployedFrom,
    };
    return { ...host, label: hostLabel(host, driven) };
  });
  const groups = ROLE_ORDER.flatMap((role): TopologyGroup[] => {
    const members = hosts.filter((h) => h.role === role);
    return members.length ? [{ id: `g_${role}`, role, title: ROLE_TITLE[role][members.length === 1 ? 0 : 1], hosts: members }] : [];
  });
  const pbxGroup = groups.find((g) => g.role === 'pbx') ?? { id: 'g_pbx', role: 'pbx', title: 'PBX', hosts: [] };
  const servers = groups.filter((g) => g.role !== 'pbx');
  const topology = plan.cluster.topology;
  const ha = topology === 'ha-onprem' || topology === 'ha-aws';
  const wizard = findItem(plan, 'portal-wizard');
  const address = plan.cluster.pbxAddress;
  const pbxHost = ha ? undefined : hosts.find((h) => h.role === 'pbx' && h.privateIp === address);
  const title = topology === 'ha-onprem' ? 'virtual IP' : topology === 'ha-aws' ? 'Elastic IP' : 'PBX';
  const publicIp = pbxHost ? pbxHost.publicIp : wizard?.publicIp && wizard.publicIp !== address ? wizard.publicIp : null;
  const label: LabelLine[] = !ha
    ? []
    : [
        { text: title, cls: 'name' },
        { text: address, cls: 'addr' },
        ...(publicIp ? [{ text: `public ${publicIp}`, cls: 'addr public' } as const] : []),
        { text: 'held by the active node', cls: 'note' },
      ];
  const pbx: PbxTarget = {
    id: pbxHost?.id ?? 'pbx',
    kind: topology === 'ha-onprem' ? 'vip' : topology === 'ha-aws' ? 'eip' : 'host',
    title,
    address,
    publicIp,
    hostId: pbxHost?.id ?? null,
    label,
  };
  return {
    title: `Topology of ${plan.cluster.name}`,
    ha,
    pbx,
    pbxGroup,
    servers,
    trusted: trustedSources(plan, plan.hosts.filter((h) => h.role === 'pbx')),
    control: hosts.find((h) => h.control) ?? null,
  };
}
