// Where each runbook item comes from in the spec: the hosts it names (where each is written) and
// the spec keys its kind reads. One entry per item kind, so a new kind cannot go without one; the
// procedure builders stay free of it and finish attaches the result (PlanItem.origin).
import type { YamlPath } from '../../diagnostics/diagnostic.js';
import type { Origin, PlanItem, ProcedureItem } from '../../model/plan.js';
import type { BasePlan } from './base.js';
import type { DraftHost } from './topology/common.js';

/** What an item's origin is looked up in. */
export interface Places {
  /** Where the named hosts are written. */
  hosts: (names: string[]) => Origin[];
  /** Where the hosts with these addresses (private or public) are written. */
  addresses: (ips: string[]) => Origin[];
  /** Where the hosts of a role are written. */
  role: (role: string) => Origin[];
  /** The spec keys, those present. */
  spec: (...paths: YamlPath[]) => Origin[];
}

type OriginRule<K extends ProcedureItem['kind']> = (item: Extract<ProcedureItem, { kind: K }>, at: Places) => Origin[];

const RULES: { [K in ProcedureItem['kind']]: OriginRule<K> } = {
  'check-all': (it, at) => at.hosts(it.hosts),
  'run-host': (it, at) => at.hosts([it.hostname]),
  'run-control': (it, at) => at.hosts([it.hostname]),
  // A restart exists because servers joined the PBX.
  'restart-host': (it, at) => [...at.hosts([it.hostname]), ...at.spec(['servers'])],
  'aws-cli': (it, at) => [...at.spec(['aws', 'region']), ...at.hosts(it.hosts)],
  'aws-console': (it, at) => [...at.spec(['aws', 'securityGroupId'], ['aws', 'subnetCidr']), ...at.addresses(it.sources.map((s) => s.ip))],
  'ha-operations': (it, at) => [...at.hosts([it.hostname]), ...at.spec(['servers'])],
  // HA: the wizard's address is the virtual (or Elastic) IP, no host's own.
  'portal-wizard': (it, at) => [...at.addresses([it.privateIp]), ...at.spec(['pbx', 'virtualIp'], ['pbx', 'publicIp'])],
  'portal-whitelist': (it, at) => [...at.spec(['whitelist', 'expires'], ['portal', 'whitelist']), ...at.addresses(it.entries.map((e) => e.ip))],
  'portal-disable-defaults': (_it, at) => at.spec(['servers']),
  'portal-add-servers': (it, at) => [...at.spec(['portal', 'servers']), ...at.addresses(it.servers.map((s) => s.privateIp))],
  'portal-im-token': (it, at) => at.hosts([it.hostname]),
  'portal-dataflow-token': (_it, at) => at.role('dataflow'),
  // The portal that answers is the PBX's; then the servers it lists.
  'portal-verify': (it, at) => [...at.role('pbx'), ...at.addresses(it.servers.map((s) => s.ip))],
  'portal-call-recovery': (_it, at) => at.spec(['pbx']),
  'portal-sbc': (it, at) => at.hosts(it.sbcs.map((s) => s.hostname)),
  // Upgrade bundles attach their own (upgrade/procedure.ts); these hold for any other caller.
  'upgrade-preflight': (it, at) => [...at.spec(['release']), ...at.hosts(it.hosts)],
  'upgrade-host': (it, at) => [...at.spec(['release']), ...at.hosts([it.hostname])],
  'upgrade-note': (_it, at) => at.spec(['release']),
  // Change bundles: the host the item runs on; the portal's lists; what the manual step is about.
  'change-host': (it, at) => at.hosts([it.hostname]),
  'change-portal': (_it, at) => at.spec(['servers'], ['whitelist'], ['portal']),
  'change-manual': (it, at) => at.hosts(it.where.split(', ')),
};

/** Each origin once, in the order found. */
function distinct(origins: Origin[]): Origin[] {
  const seen = new Set<string>();
  return origins.filter((o) => !seen.has(o.path) && !!seen.add(o.path));
}

/** The procedure's items with their origins; hosts are the topology's (they know where they are written). */
export function withItemOrigins<P extends { items: ProcedureItem[] }>(phases: P[], base: BasePlan, hosts: DraftHost[]): (Omit<P, 'items'> & { items: PlanItem[] })[] {
  const byName = new Map(hosts.map((h) => [h.hostname, h]));
  const byAddress = new Map(hosts.flatMap((h) => [[h.privateIp, h] as const, ...(h.publicIp ? [[h.publicIp, h] as const] : [])]));
  const at: Places = {
    hosts: (names) => names.flatMap((n) => byName.get(n)?.origin ?? []),
    addresses: (ips) => ips.flatMap((ip) => byAddress.get(ip)?.origin ?? []),
    role: (role) => hosts.filter((h) => h.role === role).flatMap((h) => h.origin),
    spec: (...paths) => base.origin(...paths),
  };
  return itemOriginsAt(phases, at);
}

/** The procedure's items with their origins, looked up in the given places. */
export function itemOriginsAt<P extends { items: ProcedureItem[] }>(phases: P[], at: Places): (Omit<P, 'items'> & { items: PlanItem[] })[] {
  const originOf = (item: ProcedureItem): Origin[] => (RULES[item.kind] as OriginRule<typeof item.kind>)(item as never, at);
  return phases.map((p) => ({ ...p, items: p.items.map((item) => ({ ...item, origin: distinct(originOf(item)) })) }));
}
