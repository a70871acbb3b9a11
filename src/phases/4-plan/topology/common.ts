// Pieces both topology passes use: the draft host they produce, preflight and portal data.
import { serverHostname } from '../../../model/hosts.js';
import type { Decision, DraftStep, Origin, Plan, PlanHost, PortalServer, Preflight, ProcedureItem, WhitelistEntry } from '../../../model/plan.js';
import { CLUSTER_ROLES, isPortalRole } from '../../../model/roles.js';
import type { Hardware, Server, Spec } from '../../../model/spec.js';

export const scriptPath = (hostname: string) => `hosts/${hostname}/install.sh`;

/** Preflight fields a topology decides; vendorScripts and secrets follow from the steps' calls. */
export type DraftPreflight = Omit<Preflight, 'vendorScripts' | 'scriptPins' | 'secrets'>;

/** A host as a topology pass decides it: its own steps, before the air-gap pass adds any. */
export interface DraftHost extends Omit<PlanHost, 'steps' | 'preflight'> {
  preflight: DraftPreflight;
  steps: DraftStep[];
  /** Where the host is written in the spec: the origin of steps added for it later. */
  origin: Origin[];
}

/** What a topology pass hands on. */
export interface TopologyPass {
  cluster: Plan['cluster'];
  hosts: DraftHost[];
  decisions: Decision[];
}

/** Preflight with nothing but addresses and sizing; topology passes fill in the rest. */
export function preflight(addresses: (string | undefined)[], hw: Hardware | undefined, extra: Partial<DraftPreflight> = {}): DraftPreflight {
  return {
    addresses: addresses.filter((a): a is string => !!a),
    cpus: hw?.cpus ?? null,
    memoryGb: hw?.memoryGb ?? null,
    diskGb: hw?.diskGb ?? null,
    haScripts: [],
    account: null,
    dataDisk: null,
    awsRegion: null,
    instanceId: null,
    sshKeyFile: null,
    hostname: null,
    ...extra,
  };
}

/** Fields of a host whose commands all run locally (no HA control node involved). */
export const LOCAL_HOST: Pick<PlanHost, 'haAccount' | 'deployedFrom' | 'files'> = { haAccount: null, deployedFrom: null, files: [] };

/** W8/W9: the servers to add in the portal, marking those `portal.servers` says exist already. */
export function portalServers(spec: Spec, servers: Server[]): PortalServer[] {
  const registered = new Set((spec.portal?.servers ?? []).map((p) => `${p.role}/${p.name}`));
  return servers.flatMap((s) =>
    isPortalRole(s.role)
      ? [
          {
            role: s.role,
            menu: CLUSTER_ROLES[s.role].menu,
            name: s.name,
            privateIp: s.privateIp,
            publicIp: s.publicIp ?? null,
            maxCallSessions: s.maxCallSessions ?? null,
            maxRooms: s.maxRooms ?? null,
            maxParticipants: s.maxParticipants ?? null,
            present: registered.has(`${s.role}/${s.name}`),
          },
        ]
      : [],
  );
}

/**
 * W6 / C23: every server address to whitelist; on AWS the Elastic IP as well (AWS-IM, AWS-DF
 * require both for IM and Data Flow). An entry `portal.whitelist` already holds until at least
 * the spec's expiry is marked present; one that expires sooner must be renewed.
 */
export function whitelistEntries(spec: Spec, servers: Server[]): WhitelistEntry[] {
  const expires = spec.whitelist?.expires ?? '';
  const held = new Map((spec.portal?.whitelist ?? []).map((w) => [w.ip, w.expires]));
  const entry = (ip: string, host: string): WhitelistEntry => ({ ip, host, present: (held.get(ip) ?? '') >= expires && held.has(ip) });
  return servers.flatMap((s) => {
    const host = serverHostname(s);
    const out = [entry(s.privateIp, host)];
    if (spec.platform === 'aws' && s.publicIp) out.push(entry(s.publicIp, `${host} (Elastic IP)`));
    return out;
  });
}

/** The portal work before servers are installed: whitelist, default servers off, servers added. */
export function portalItems(spec: Spec, servers: Server[]): ProcedureItem[] {
  const items: ProcedureItem[] = [];
  if (!servers.length) return items;
  items.push({ kind: 'portal-whitelist', id: 'whitelist', where: 'portal', expires: spec.whitelist?.expires ?? '', entries: whitelistEntries(spec, servers) });
  const toAdd = portalServers(spec, servers);
  if (toAdd.length) {
    items.push({ kind: 'portal-disable-defaults', id: 'disable-defaults', where: 'portal', menus: Object.values(CLUSTER_ROLES).map((r) => r.menu) });
    items.push({ kind: 'portal-add-servers', id: 'add-servers', where: 'portal', servers: toAdd });
  }
  return items;
}

/** The guides' last checks (the portal's server pages, W14): what shows Online once everything
 * runs, the Data Flow server's own containers, and on HA the cluster's resources. Always an
 * item: even a PBX alone is checked in its portal. */
export function verifyItem(servers: Server[], portalUrl: string, ha: 'aws' | 'onprem' | null): ProcedureItem {
  const list = servers.flatMap((s) =>
    isPortalRole(s.role) ? [{ menu: CLUSTER_ROLES[s.role].menu, name: s.name, ip: s.privateIp }] : s.role === 'im' ? [{ menu: 'Servers > IM Servers', name: s.name, ip: s.privateIp }] : [],
  );
  const dataflow = servers.filter((s) => s.role === 'dataflow').map((s) => ({ hostname: serverHostname(s), ip: s.privateIp }));
  return { kind: 'portal-verify', id: 'verify-online', where: 'portal', portalUrl, table: list.length + dataflow.length > 0, servers: list, im: servers.some((s) => s.role === 'im'), dataflow, ha };
}

/** A runbook item that runs a host's script: its install-stage steps, in order. */
export function runHostItem(h: PlanHost): ProcedureItem {
  return { kind: 'run-host', id: `run-${h.hostname}`, where: h.hostname, hostname: h.hostname, role: h.role, stepIds: h.steps.filter((s) => s.stage === 'install').map((s) => s.id) };
}
