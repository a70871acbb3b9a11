// Compare two sides' facts: hosts paired by name and role (or, when a server was renamed, by
// role and address), then each difference becomes one change with the reason that explains it.
// What the changes force on other hosts, what is refused and the order are classify.ts's job.
import { CLUSTER_ROLES, isPortalRole } from '../model/roles.js';
import type { SecretRef } from '../model/spec.js';
import { factsOf, type Deployment, type HostFacts, type PlanFacts } from './facts.js';
import type { Change, Place, Side, WaiverChange } from './model.js';
import type { Reason } from './reasons.js';
import { REASONS } from './reasons.js';

export interface HostPair {
  old: HostFacts;
  new: HostFacts;
}

export interface Compared {
  oldFacts: PlanFacts;
  newFacts: PlanFacts;
  pairs: HostPair[];
  added: HostFacts[];
  removed: HostFacts[];
  changes: Change[];
  waivers: WaiverChange[];
}

export function place(side: Side, path: string | null): Place | null {
  return path === null ? null : { file: side.label, line: side.locate(path), path };
}

const refText = (r: SecretRef | undefined): string => (r === undefined ? '(none)' : r.env !== undefined ? `env ${r.env}` : `file ${r.file}`);
const orNone = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '(none)' : v);
const sub = (base: string | null, key: string): string | null => (base === null ? null : `${base}.${key}`);

function change(c: Omit<Change, 'forces' | 'versions' | 'manual'> & Partial<Pick<Change, 'versions' | 'manual'>>): Change {
  // Key order is the JSON's: what, where, why, then what it forces.
  return { action: c.action, reason: c.reason, hosts: c.hosts, detail: c.detail, old: c.old, new: c.new, forces: [], versions: c.versions ?? null, manual: c.manual ?? false };
}

function pairHosts(a: HostFacts[], b: HostFacts[]): { pairs: HostPair[]; added: HostFacts[]; removed: HostFacts[] } {
  const key = (h: HostFacts) => `${h.hostname}\u0000${h.role}`;
  const newByKey = new Map(b.map((h) => [key(h), h]));
  const pairs: HostPair[] = [];
  const left: HostFacts[] = [];
  for (const o of a) {
    const n = newByKey.get(key(o));
    if (n) {
      pairs.push({ old: o, new: n });
      newByKey.delete(key(o));
    } else left.push(o);
  }
  const removed: HostFacts[] = [];
  for (const o of left) {
    // A server renamed without its own hostname changes host name too: the same role at the same address is the same host.
    const n = [...newByKey.values()].find((h) => h.role === o.role && h.privateIp === o.privateIp);
    if (n) {
      pairs.push({ old: o, new: n });
      newByKey.delete(key(n));
    } else removed.push(o);
  }
  return { pairs, added: b.filter((h) => newByKey.has(key(h))), removed };
}

/** Which reason a changed `run` flag gives, by role (domain §5.1: what is baked into the container). */
function flagReason(role: string, flag: string, pbxMoved: boolean): Reason | null {
  if (flag === '-x') return pbxMoved ? null : 'run_arguments_changed'; // the dependent of a moved PBX: forced by it
  if (flag === '-a' || flag === '-A') {
    if (role === 'pbx') return 'pbx_address_changed';
    if (role === 'im') return 'im_address_changed';
    if (role === 'dataflow') return 'dataflow_address_changed';
    return 'server_address_changed';
  }
  if (flag === '-n') return 'server_name_changed';
  return 'run_arguments_changed';
}

function flagPath(host: HostFacts, flag: string): string | null {
  if (flag === '-a') return sub(host.path, 'privateIp');
  if (flag === '-A') return sub(host.path, 'publicIp');
  if (flag === '-n') return sub(host.path, 'name');
  return host.path;
}

function compareDeployments(a: Side, b: Side, pair: HostPair, pbxMoved: boolean): Change[] {
  const out: Change[] = [];
  const { old: o, new: n } = pair;
  const byScript = (ds: Deployment[]) => new Map(ds.map((d) => [d.script, d]));
  const od = byScript(o.deployments);
  const nd = byScript(n.deployments);
  for (const script of [...new Set([...od.keys(), ...nd.keys()])].sort()) {
    const x = od.get(script);
    const y = nd.get(script);
    if (!x || !y) {
      out.push(change({ action: 'recreate', reason: 'run_arguments_changed', hosts: [n.hostname], detail: `${script}: ${x ? 'no longer run' : 'now run'}`, old: place(a, o.path), new: place(b, n.path) }));
      continue;
    }
    const grouped = new Map<Reason, { flags: string[]; oldPath: string | null; newPath: string | null }>();
    for (const flag of [...new Set([...x.flags.keys(), ...y.flags.keys()])].sort()) {
      if (x.flags.get(flag) === y.flags.get(flag)) continue;
      const reason = flagReason(n.role, flag, pbxMoved);
      if (reason === null) continue;
      const g = grouped.get(reason) ?? { flags: [], oldPath: flagPath(o, flag), newPath: flagPath(n, flag) };
      g.flags.push(`${flag} ${orNone(x.flags.get(flag))} → ${orNone(y.flags.get(flag))}`);
      grouped.set(reason, g);
    }
    for (const [reason, g] of grouped) {
      out.push(change({ action: 'recreate', reason, hosts: [n.hostname], detail: `${script} ${g.flags.join(', ')}`, old: place(a, g.oldPath), new: place(b, g.newPath), manual: false }));
    }
    const labels = [...new Set([...x.secrets.map((s) => s.label), ...y.secrets.map((s) => s.label)])].sort();
    for (const label of labels) {
      const r1 = x.secrets.find((s) => s.label === label)?.ref;
      const r2 = y.secrets.find((s) => s.label === label)?.ref;
      if (refText(r1) === refText(r2)) continue;
      const reason: Reason = label === 'IM token' ? 'im_token_ref_changed' : 'run_arguments_changed';
      out.push(change({ action: 'recreate', reason, hosts: [n.hostname], detail: `${label} reference ${refText(r1)} → ${refText(r2)}`, old: place(a, sub(o.path, 'tokenRef')), new: place(b, sub(n.path, 'tokenRef')) }));
    }
  }
  return out;
}

function compareHost(a: Side, b: Side, pair: HostPair, ctx: { pbxMoved: boolean; ha: boolean }): Change[] {
  const { old: o, new: n } = pair;
  if (ctx.ha && o.role === 'pbx') {
    const moved = o.privateIp !== n.privateIp || o.publicIp !== n.publicIp || o.hostname !== n.hostname;
    if (!moved) return o.requirements === n.requirements ? [] : [requirements(a, b, pair)];
    const what = [o.hostname !== n.hostname ? `name ${o.hostname} → ${n.hostname}` : '', o.privateIp !== n.privateIp ? `privateIp ${o.privateIp} → ${n.privateIp}` : '', o.publicIp !== n.publicIp ? `publicIp ${orNone(o.publicIp)} → ${orNone(n.publicIp)}` : ''].filter(Boolean);
    return [change({ action: 'recreate', reason: 'ha_node_changed', hosts: [n.hostname], detail: what.join(', '), old: place(a, o.path), new: place(b, n.path), manual: true })];
  }
  const out = compareDeployments(a, b, pair, ctx.pbxMoved);
  const has = (r: Reason) => out.some((c) => c.reason === r);
  const addressMoved = o.privateIp !== n.privateIp || o.publicIp !== n.publicIp;
  if (addressMoved && !out.some((c) => c.action === 'recreate')) {
    out.push(change({ action: 'update', reason: 'host_address_changed', hosts: [n.hostname], detail: `privateIp ${o.privateIp} → ${n.privateIp}, publicIp ${orNone(o.publicIp)} → ${orNone(n.publicIp)}`, old: place(a, sub(o.path, 'privateIp')), new: place(b, sub(n.path, 'privateIp')) }));
  }
  if (o.hostname !== n.hostname && !has('server_name_changed')) {
    out.push(change({ action: 'update', reason: 'host_renamed', hosts: [n.hostname], detail: `${o.hostname} → ${n.hostname}`, old: place(a, o.path), new: place(b, n.path) }));
  }
  if (o.requirements !== n.requirements) out.push(requirements(a, b, pair));
  return out;
}

function requirements(a: Side, b: Side, { old: o, new: n }: HostPair): Change {
  return change({ action: 'update', reason: 'host_requirements_changed', hosts: [n.hostname], detail: 'hardware or account checked by the preflight', old: place(a, o.path), new: place(b, n.path) });
}

function compareRelease(a: Side, b: Side, pairs: HostPair[]): Change[] {
  const r1 = a.plan.release;
  const r2 = b.plan.release;
  const out: Change[] = [];
  const hostsWith = (roles: (r: string) => boolean) => pairs.filter((p) => roles(p.new.role)).map((p) => p.new.hostname);
  const image = (reason: Reason, path: string, from: string | null, to: string | null, hosts: string[], versions: { from: string; to: string } | null) => {
    if (from === to || from === null || to === null || !hosts.length) return;
    out.push(change({ action: 'upgrade', reason, hosts, detail: `${from} → ${to}`, old: place(a, path), new: place(b, path), versions }));
  };
  image('pbx_image_changed', 'release.pbxImage', r1.pbxImage, r2.pbxImage, hostsWith((r) => r !== 'sbc'), { from: r1.pbxVersion || r1.pbxImage, to: r2.pbxVersion || r2.pbxImage });
  image('postgres_image_changed', 'release.postgresImage', r1.postgresImage ?? 'default', r2.postgresImage ?? 'default', hostsWith((r) => r === 'pbx'), null);
  image('clickhouse_image_changed', 'release.clickhouseImage', r1.clickhouseImage, r2.clickhouseImage, hostsWith((r) => r === 'dataflow'), null);
  image('sbc_image_changed', 'release.sbcImage', r1.sbcImage, r2.sbcImage, hostsWith((r) => r === 'sbc'), null);
  const reg = (s: Side) => JSON.stringify([s.plan.airgap.registry, s.plan.airgap.registryMirror]);
  if (reg(a) !== reg(b)) {
    const show = (s: Side) => [s.plan.airgap.registry ? `registry ${s.plan.airgap.registry.server} as ${s.plan.airgap.registry.username} (password ${refText(s.plan.airgap.registry.passwordRef)})` : '', s.plan.airgap.registryMirror ? `mirror ${s.plan.airgap.registryMirror}` : ''].filter(Boolean).join(', ') || 'Docker Hub';
    out.push(change({ action: 'update', reason: 'registry_changed', hosts: pairs.map((p) => p.new.hostname), detail: `${show(a)} → ${show(b)}`, old: place(a, 'release'), new: place(b, 'release') }));
  }
  return out;
}

function compareTrust(a: Side, b: Side, o: PlanFacts, n: PlanFacts, rename: Map<string, string>): Change[] {
  const key = (host: string, address: string) => `${host}\u0000${address}`;
  const oldSet = new Map(o.trust.map((t) => [key(rename.get(t.host) ?? t.host, t.address), t]));
  const newSet = new Map(n.trust.map((t) => [key(t.host, t.address), t]));
  const out: Change[] = [];
  const group = (from: typeof oldSet, other: typeof oldSet, reason: Reason, side: Side, isNew: boolean) => {
    const byHost = new Map<string, { addresses: string[]; path: string }>();
    for (const [k, t] of from) {
      if (other.has(k)) continue;
      const host = isNew ? t.host : (rename.get(t.host) ?? t.host);
      const g = byHost.get(host) ?? { addresses: [], path: t.path };
      g.addresses.push(t.address);
      byHost.set(host, g);
    }
    for (const [host, g] of [...byHost].sort()) {
      const p = place(side, g.path);
      out.push(change({ action: 'update', reason, hosts: [host], detail: g.addresses.join(', '), old: isNew ? null : p, new: isNew ? p : null }));
    }
  };
  group(oldSet, newSet, 'trust_source_removed', a, false);
  group(newSet, oldSet, 'trust_source_added', b, true);
  return out;
}

function compareWhitelist(a: Side, b: Side, o: PlanFacts, n: PlanFacts): Change[] {
  const out: Change[] = [];
  const oldIps = new Map(o.whitelist.map((e) => [e.ip, e]));
  const newIps = new Map(n.whitelist.map((e) => [e.ip, e]));
  const gone = o.whitelist.filter((e) => !newIps.has(e.ip));
  const come = n.whitelist.filter((e) => !oldIps.has(e.ip));
  // An entry's place is its server's address in the spec, or (a renamed entry) its name.
  const where = (facts: PlanFacts, e: { ip: string; host: string }, field: 'address' | 'name' = 'address') => {
    const h = facts.hosts.find((x) => x.hostname === e.host);
    if (!h) return 'whitelist';
    return sub(h.path, field === 'name' ? 'name' : h.publicIp === e.ip ? 'publicIp' : 'privateIp');
  };
  if (gone.length) out.push(change({ action: 'update', reason: 'whitelist_entry_removed', hosts: [...new Set(gone.map((e) => e.host))], detail: gone.map((e) => `${e.ip} (${e.host})`).join(', '), old: place(a, where(o, gone[0]!)), new: null }));
  if (come.length) out.push(change({ action: 'update', reason: 'whitelist_entry_added', hosts: [...new Set(come.map((e) => e.host))], detail: come.map((e) => `${e.ip} (${e.host})`).join(', '), old: null, new: place(b, where(n, come[0]!)) }));
  const kept = n.whitelist.filter((e) => oldIps.has(e.ip));
  const renamed = kept.filter((e) => oldIps.get(e.ip)!.host !== e.host);
  if (renamed.length) out.push(change({ action: 'update', reason: 'whitelist_entry_renamed', hosts: [...new Set(renamed.map((e) => e.host))], detail: renamed.map((e) => `${e.ip} (${oldIps.get(e.ip)!.host} → ${e.host})`).join(', '), old: place(a, where(o, oldIps.get(renamed[0]!.ip)!, 'name')), new: place(b, where(n, renamed[0]!, 'name')) }));
  if (kept.length && o.whitelistExpires !== n.whitelistExpires) {
    out.push(change({ action: 'update', reason: 'whitelist_expiry_changed', hosts: [...new Set(kept.map((e) => e.host))], detail: `${orNone(o.whitelistExpires)} → ${orNone(n.whitelistExpires)} for ${kept.map((e) => e.ip).join(', ')}`, old: place(a, 'whitelist.expires'), new: place(b, 'whitelist.expires') }));
  }
  return out;
}

function comparePortal(a: Side, b: Side, o: PlanFacts, n: PlanFacts, pairs: HostPair[]): Change[] {
  const out: Change[] = [];
  const key = (s: { role: string; name: string }) => `${s.role}\u0000${s.name}`;
  const hostOf = (facts: PlanFacts, s: { role: string; name: string }) => facts.hosts.find((h) => h.role === s.role && h.serverName === s.name) ?? null;
  const newByKey = new Map(n.portal.map((s) => [key(s), s]));
  const oldByKey = new Map(o.portal.map((s) => [key(s), s]));
  const goneList = o.portal.filter((s) => !newByKey.has(key(s)));
  const comeList = n.portal.filter((s) => !oldByKey.has(key(s)));
  for (const s of goneList) {
    const host = hostOf(o, s);
    const paired = host ? pairs.find((p) => p.old === host) : undefined;
    const renamed = paired ? comeList.find((t) => t.role === s.role && t.name === paired.new.serverName) : undefined;
    if (renamed && paired) {
      comeList.splice(comeList.indexOf(renamed), 1);
      out.push(change({ action: 'update', reason: 'portal_server_renamed', hosts: [paired.new.hostname], detail: `${s.menu}: ${s.name} → ${renamed.name}`, old: place(a, sub(host!.path, 'name')), new: place(b, sub(paired.new.path, 'name')) }));
    } else {
      out.push(change({ action: 'update', reason: 'portal_server_removed', hosts: [host?.hostname ?? s.name], detail: `${s.menu}: ${s.name}`, old: place(a, host?.path ?? null), new: null }));
    }
  }
  for (const s of comeList) {
    const host = hostOf(n, s);
    out.push(change({ action: 'update', reason: 'portal_server_added', hosts: [host?.hostname ?? s.name], detail: `${s.menu}: ${s.name}`, old: null, new: place(b, host?.path ?? null) }));
  }
  for (const s of n.portal) {
    const before = oldByKey.get(key(s));
    if (!before) continue;
    const fields = (['privateIp', 'publicIp', 'maxCallSessions', 'maxRooms', 'maxParticipants'] as const).filter((f) => before[f] !== s[f]);
    if (!fields.length) continue;
    const host = hostOf(n, s);
    const oldHost = hostOf(o, before);
    out.push(
      change({
        action: 'update',
        reason: 'portal_server_changed',
        hosts: [host?.hostname ?? s.name],
        detail: `${s.menu}: ${s.name} ` + fields.map((f) => `${f} ${orNone(before[f] === null ? null : String(before[f]))} → ${orNone(s[f] === null ? null : String(s[f]))}`).join(', '),
        old: place(a, sub(oldHost?.path ?? null, fields[0]!)),
        new: place(b, sub(host?.path ?? null, fields[0]!)),
      }),
    );
  }
  return out;
}

function compareWaivers(a: Side, b: Side): WaiverChange[] {
  const key = (w: { code: string; path?: string | null }) => `${w.code}\u0000${w.path ?? ''}`;
  const show = (w: { reason: string; approvedBy: string; expires: string }) => `"${w.reason}", approved by ${w.approvedBy}, until ${w.expires}`;
  const oldBy = new Map(a.waivers.map((w) => [key(w.waiver), w]));
  const newBy = new Map(b.waivers.map((w) => [key(w.waiver), w]));
  const out: WaiverChange[] = [];
  for (const [k, w] of oldBy) {
    const v = newBy.get(k);
    if (!v) out.push({ change: 'removed', reason: 'waiver_removed', code: w.waiver.code, path: w.waiver.path ?? null, detail: show(w.waiver), old: place(a, w.path), new: null });
    else if (show(w.waiver) !== show(v.waiver)) out.push({ change: 'changed', reason: 'waiver_changed', code: w.waiver.code, path: w.waiver.path ?? null, detail: `${show(w.waiver)} → ${show(v.waiver)}`, old: place(a, w.path), new: place(b, v.path) });
  }
  for (const [k, v] of newBy) if (!oldBy.has(k)) out.push({ change: 'added', reason: 'waiver_added', code: v.waiver.code, path: v.waiver.path ?? null, detail: show(v.waiver), old: null, new: place(b, v.path) });
  return out.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

const roleWords = (h: HostFacts) => (isPortalRole(h.role) ? `${CLUSTER_ROLES[h.role].label} server ${h.serverName ?? h.hostname}` : h.role === 'pbx' ? 'PBX' : h.role === 'im' ? 'IM server' : h.role === 'dataflow' ? 'Data Flow server' : 'SBC');

export function compareSides(a: Side, b: Side): Compared {
  const oldFacts = factsOf(a.plan);
  const newFacts = factsOf(b.plan);
  const { pairs, added, removed } = pairHosts(oldFacts.hosts, newFacts.hosts);
  const pbxMoved = a.plan.cluster.pbxAddress !== b.plan.cluster.pbxAddress;
  const ha = newFacts.ha;
  const changes: Change[] = [];
  for (const h of added) changes.push(change({ action: 'add', reason: 'host_added', hosts: [h.hostname], detail: `${roleWords(h)} at ${h.privateIp}`, old: null, new: place(b, h.path) }));
  for (const h of removed) changes.push(change({ action: 'remove', reason: 'host_removed', hosts: [h.hostname], detail: `${roleWords(h)} at ${h.privateIp}`, old: place(a, h.path), new: null }));
  if (ha && pbxMoved) {
    const nodes = pairs.filter((p) => p.new.role === 'pbx').map((p) => p.new.hostname);
    changes.push(change({ action: 'recreate', reason: 'ha_virtual_ip_changed', hosts: nodes, detail: `${a.plan.cluster.pbxAddress} → ${b.plan.cluster.pbxAddress}`, old: place(a, 'pbx.virtualIp'), new: place(b, 'pbx.virtualIp'), manual: true }));
  }
  for (const p of pairs) changes.push(...compareHost(a, b, p, { pbxMoved, ha }));
  changes.push(...compareRelease(a, b, pairs));
  const rename = new Map(pairs.map((p) => [p.old.hostname, p.new.hostname]));
  changes.push(...compareTrust(a, b, oldFacts, newFacts, rename));
  changes.push(...compareWhitelist(a, b, oldFacts, newFacts));
  changes.push(...comparePortal(a, b, oldFacts, newFacts, pairs));
  return { oldFacts, newFacts, pairs, added, removed, changes, waivers: compareWaivers(a, b) };
}

/** The words of a reason, for the list. */
export const reasonTitle = (r: Reason): string => REASONS[r].title;
