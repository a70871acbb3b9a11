// The hosts a spec describes, with the YAML paths of their fields: one list that both the
// checks (which need paths) and the planner (which needs order) read.
import type { YamlPath } from '../diagnostics/diagnostic.js';
import type { Server, ServerRole, Spec } from './spec.js';

export type HostRole = 'pbx' | ServerRole;

export interface SpecAddress {
  ip: string;
  kind: 'private' | 'public' | 'virtual';
  path: YamlPath;
}

export interface SpecHost {
  hostname: string;
  hostnamePath: YamlPath; // where the name comes from (a server's `name` when it has no hostname)
  role: HostRole;
  /** Index in `servers`, or the PBX node index (0-based); -1 for a single PBX. */
  index: number;
  path: YamlPath;
  addresses: SpecAddress[];
  server?: Server;
}

export const DEFAULT_PATHS = {
  data: '/var/lib/portsip',
  scripts: '/opt/portsip',
  haGuide: '/opt/portsip-pbx-ha-guide',
} as const;

export function serverHostname(s: Server): string {
  return s.hostname ?? s.name;
}

function addrs(base: YamlPath, o: { privateIp?: string; publicIp?: string }): SpecAddress[] {
  const out: SpecAddress[] = [];
  if (o.privateIp) out.push({ ip: o.privateIp, kind: 'private', path: [...base, 'privateIp'] });
  if (o.publicIp) out.push({ ip: o.publicIp, kind: 'public', path: [...base, 'publicIp'] });
  return out;
}

/** PBX host(s) first, then servers in spec order. The VIP is not a host; see `virtualAddress`. */
export function specHosts(spec: Spec): SpecHost[] {
  const hosts: SpecHost[] = [];
  if (spec.pbx.mode === 'single' && spec.pbx.host) {
    const base: YamlPath = ['pbx', 'host'];
    hosts.push({ hostname: spec.pbx.host.hostname, hostnamePath: [...base, 'hostname'], role: 'pbx', index: -1, path: base, addresses: addrs(base, spec.pbx.host) });
  }
  (spec.pbx.mode === 'ha' ? (spec.pbx.nodes ?? []) : []).forEach((n, i) => {
    const base: YamlPath = ['pbx', 'nodes', i];
    hosts.push({ hostname: n.hostname, hostnamePath: [...base, 'hostname'], role: 'pbx', index: i, path: base, addresses: addrs(base, n) });
  });
  (spec.servers ?? []).forEach((s, i) => {
    const base: YamlPath = ['servers', i];
    hosts.push({
      hostname: serverHostname(s),
      hostnamePath: [...base, s.hostname ? 'hostname' : 'name'],
      role: s.role,
      index: i,
      path: base,
      addresses: addrs(base, s),
      server: s,
    });
  });
  return hosts;
}

/** Addresses that belong to the PBX as a service rather than to one host (HA). */
export function virtualAddresses(spec: Spec): SpecAddress[] {
  const out: SpecAddress[] = [];
  if (spec.pbx.mode === 'ha') {
    if (spec.pbx.virtualIp) out.push({ ip: spec.pbx.virtualIp, kind: 'virtual', path: ['pbx', 'virtualIp'] });
    if (spec.pbx.publicIp) out.push({ ip: spec.pbx.publicIp, kind: 'public', path: ['pbx', 'publicIp'] });
  }
  return out;
}
