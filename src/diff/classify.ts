// What the changes force on other hosts (domain §5.1, §5.5, C29), what pbxplan refuses (a
// downgrade, a jump across majors §5.4, a protected host destroyed), the order (worst first) and
// the summary. Pure: the same two sides always give the same result, byte for byte.
import semver from 'semver';
import { isPortalRole } from '../model/roles.js';
import { imageVersion } from '../model/release.js';
import type { Compared } from './compare.js';
import type { Change, DiffError, DiffSummary, Force, Side } from './model.js';
import { ACTIONS, actionRank, type Action } from './reasons.js';

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** The documented restart order (CL-CFG): PBX, load balancer, media, queue, meeting, IVR, IM, Data Flow. */
const RESTART_ORDER = ['pbx', 'media', 'queue', 'meeting', 'ivr', 'im', 'dataflow', 'sbc'];

function forcesOf(c: Change, cmp_: Compared): Force[] {
  const { pairs, newFacts } = cmp_;
  const kept = pairs.map((p) => p.new);
  const dependents = kept.filter((h) => isPortalRole(h.role) || h.role === 'im' || h.role === 'dataflow');
  const byOrder = (xs: Force[]) => xs.sort((x, y) => RESTART_ORDER.indexOf(roleOf(cmp_, x.host)) - RESTART_ORDER.indexOf(roleOf(cmp_, y.host)) || cmp(x.host, y.host) || cmp(x.what, y.what));
  switch (c.reason) {
    case 'pbx_address_changed':
    case 'ha_virtual_ip_changed':
      // Their -x is the PBX address, baked into the container (C29).
      return byOrder(dependents.map((h) => ({ action: 'recreate', host: h.hostname, what: h.role })));
    case 'host_added': {
      const host = newFacts.hosts.find((h) => h.hostname === c.hosts[0]);
      if (!host || !isPortalRole(host.role) || newFacts.ha) return [];
      // A new cluster server: restart the load balancer and every cluster server, not the PBX (CL-MGMT).
      const pbx = kept.filter((h) => h.role === 'pbx').map((h): Force => ({ action: 'restart', host: h.hostname, what: 'resource load balancer' }));
      const others = kept.filter((h) => isPortalRole(h.role)).map((h): Force => ({ action: 'restart', host: h.hostname, what: h.role }));
      return byOrder([...pbx, ...others]);
    }
    case 'pbx_image_changed':
      // The Data Flow instance is recreated after a PBX upgrade (C29, §5.1).
      return byOrder(kept.filter((h) => h.role === 'dataflow').map((h) => ({ action: 'recreate', host: h.hostname, what: 'dataflow' })));
    default:
      return [];
  }
}

function roleOf(c: Compared, host: string): string {
  return (c.newFacts.hosts.find((h) => h.hostname === host) ?? c.oldFacts.hosts.find((h) => h.hostname === host))?.role ?? 'sbc';
}

/** A change's weight for ordering and --deny: its action or the worst thing it forces. */
export function weight(c: Change): number {
  return Math.max(actionRank(c.action), ...c.forces.map((f) => actionRank(f.action)));
}

function releaseErrors(changes: Change[]): DiffError[] {
  const out: DiffError[] = [];
  for (const c of changes) {
    // The PBX release is what the vendor versions and upgrades; ClickHouse and PostgreSQL images
    // have versions of their own (ClickHouse 25.8 → 26.3 is an ordinary Data Flow upgrade).
    if (c.reason !== 'pbx_image_changed') continue;
    const from = c.versions?.from ?? imageVersion(c.detail.split(' → ')[0]!).version;
    const to = c.versions?.to ?? imageVersion(c.detail.split(' → ')[1] ?? '').version;
    if (!from || !to || !semver.valid(from) || !semver.valid(to)) continue;
    if (semver.major(from) !== semver.major(to)) {
      out.push({ reason: 'release_major_jump', hosts: c.hosts, message: `${from} → ${to} crosses major versions: that is a rebuild, not an upgrade — install the new major on new (or reinstalled) servers and move the data, as the vendor guide "Upgrade v16.x to the Latest v22.x" describes`, old: c.old, new: c.new });
    } else if (semver.lt(to, from)) {
      out.push({ reason: 'release_downgrade', hosts: c.hosts, message: `${from} → ${to} is a downgrade, which PortSIP does not support — restore the backup taken before the upgrade onto ${from.split('.').slice(0, 2).join('.')} instead (vendor guide "Backup and Restore PortSIP PBX")`, old: c.old, new: c.new });
    }
  }
  return out;
}

function protectErrors(a: Side, b: Side, cmp_: Compared, changes: Change[]): DiffError[] {
  const protect = new Set([...(a.plan.protect ?? []), ...(b.plan.protect ?? [])]);
  if (!protect.size) return [];
  const out: DiffError[] = [];
  const guarded = (host: string) => protect.has(host) || protect.has(roleOf(cmp_, host));
  for (const c of changes) {
    const hit = new Set<string>();
    if (c.action === 'recreate' || c.action === 'remove') c.hosts.filter(guarded).forEach((h) => hit.add(h));
    c.forces.filter((f) => f.action === 'recreate' && guarded(f.host)).forEach((f) => hit.add(f.host));
    if (!hit.size) continue;
    const hosts = [...hit].sort(cmp);
    out.push({ reason: 'protected_host_destroyed', hosts, message: `${c.reason} would ${c.action === 'remove' ? 'remove' : 'recreate'} protected ${hosts.join(', ')} (protect: ${[...protect].sort(cmp).join(', ')}); give --allow-destroy if that is intended`, old: c.old, new: c.new });
  }
  return out;
}

export interface Classified {
  changes: Change[];
  errors: DiffError[];
  summary: DiffSummary;
}

export function classify(a: Side, b: Side, compared: Compared, opts: { allowDestroy: boolean }): Classified {
  const changes = compared.changes.map((c) => ({ ...c, forces: forcesOf(c, compared) }));
  const key = (c: Change) => `${c.reason}\u0000${c.hosts.join(',')}\u0000${c.detail}`;
  changes.sort((x, y) => weight(y) - weight(x) || actionRank(y.action) - actionRank(x.action) || cmp(key(x), key(y)));
  const errors = [...releaseErrors(changes), ...(opts.allowDestroy ? [] : protectErrors(a, b, compared, changes))];
  const byAction = Object.fromEntries(ACTIONS.map((x) => [x, 0])) as Record<Action, number>;
  for (const c of changes) byAction[c.action]++;
  // Interrupting operations per host: a recreate or removal includes any restart of the same host.
  const ops = new Map<string, Action>();
  const note = (host: string, action: Action) => {
    const had = ops.get(host);
    if (!had || actionRank(action) > actionRank(had)) ops.set(host, action);
  };
  for (const c of changes) {
    if (c.action === 'recreate' || c.action === 'remove' || c.action === 'restart' || c.action === 'upgrade') c.hosts.forEach((h) => note(h, c.action));
    c.forces.forEach((f) => note(f.host, f.action));
  }
  const count = (act: Action) => [...ops.values()].filter((v) => v === act).length;
  const summary: DiffSummary = {
    changes: changes.length,
    byAction,
    recreatedHosts: count('recreate'),
    removedHosts: count('remove'),
    downtimeSteps: ops.size,
    waivers: compared.waivers.length,
    errors: errors.length,
  };
  return { changes, errors, summary };
}
