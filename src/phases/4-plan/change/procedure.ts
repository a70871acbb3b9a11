// The change runbook: every host at the base first (--check), the portal work the new hosts need,
// then the hosts in a safe order (new trust before the hosts that use it; retired trust after the
// roles are gone), the forced restarts in the documented order (domain §5.5), the portal's
// deletions, the manual steps for what the vendor does not document, and the checks.
import type { Change, DiffResult } from '../../../diff/model.js';
import type { Origin, Plan, PlanHost, PlanPhase, ProcedureItem, ProcedurePhase } from '../../../model/plan.js';
import { ROLE_ORDER } from '../../../model/roles.js';
import { itemOriginsAt, type Places } from '../item-origin.js';
import { changeRoleFacts } from './roles.js';

/** One host's part of the change: its script (host) and the plans' views of it. */
export interface HostWork {
  kind: 'add' | 'recreate' | 'retire' | 'update' | 'restart';
  host: PlanHost;
  before: PlanHost | null;
  after: PlanHost | null;
}

const rank = (h: PlanHost) => (h.role === 'pbx' ? -1 : ROLE_ORDER.indexOf(h.role as (typeof ROLE_ORDER)[number]));
const byRole = (a: HostWork, b: HostWork) => rank(a.host) - rank(b.host) || (a.host.hostname < b.host.hostname ? -1 : a.host.hostname > b.host.hostname ? 1 : 0);

function what(w: HostWork, plan: Plan): string {
  const f = changeRoleFacts(w.host.role);
  const ids = (kind: string) => w.host.steps.filter((s) => s.kind === kind);
  const trust = [...ids('trust-source').map((s) => `trust ${(s as { address: string }).address}`), ...ids('trust-remove').map((s) => `stop trusting ${(s as { address: string }).address}`)];
  switch (w.kind) {
    case 'add':
      return `install the new ${f.label}`;
    case 'recreate':
      return `${f.label} removed and run again with the new arguments (data kept)${trust.length ? `; ${trust.join(', ')}` : ''}`;
    case 'retire': {
      const p = w.host.steps.find((s) => s.kind === 'purge') as { paths: string[] } | undefined;
      return `the ${f.label} role removed from the host: ${p ? `its data deleted (${p.paths.join(', ')})` : `its data kept in ${plan.paths.data}`}`;
    }
    default: {
      const retire = w.host.steps.filter((s) => s.kind === 'role-remove').map((s) => s.title);
      const reach = w.host.steps.filter((s) => s.kind === 'ha-extend').map((s) => s.title);
      const records = w.host.steps.some((s) => s.kind === 'marker-record') ? ['its restart markers brought to the new membership (nothing restarts: the change forces none here)'] : [];
      return [...trust, ...reach, ...retire, ...records].join('; ') || 'restarts only';
    }
  }
}

function downtime(w: HostWork): string | null {
  const f = changeRoleFacts(w.host.role);
  if (w.kind === 'recreate') return f.recreateDowntime;
  if (w.kind === 'retire') return f.retireEffect;
  const retired = w.host.steps.filter((s) => s.kind === 'role-remove');
  return retired.length ? `each server removed stops for good: ${retired.map((s) => s.title).join('; ')}` : null;
}

function wayBack(w: HostWork, reverse: string): string[] {
  const f = changeRoleFacts(w.host.role);
  switch (w.kind) {
    case 'add':
      return [`Take it out again: on ${w.host.hostname}, ${f.script} rm${f.rmArgs.length ? ` ${f.rmArgs.join(' ')}` : ''} removes its containers (data kept); delete its portal and whitelist entries and its trusted source on the PBX.`, reverse];
    case 'recreate':
      return [`The old arguments come back the same way: the reverse change bundle removes the role and runs it again with them (data kept).`, reverse];
    case 'retire':
      return w.host.steps.some((s) => s.kind === 'purge')
        ? ['None for the data: --purge deleted it, only a backup brings it back.', `The role itself comes back with the reverse change bundle, as a fresh install. ${reverse}`]
        : [`Its data directories were kept: the reverse change bundle installs the role again on them. ${reverse}`];
    default:
      return w.host.steps.some((s) => s.kind === 'role-remove')
        ? [`A removed extended server comes back with the reverse change bundle (extend.sh run again, data kept on its host). ${reverse}`]
        : w.host.steps.every((s) => s.kind === 'marker-record' || s.stage === 'restart')
          ? ['None needed: only pbxplan\'s markers change.']
          : ['A trusted source comes back with firewall-cmd --permanent --zone=trusted --add-source=ADDRESS and firewall-cmd --reload; one added goes with --remove-source (permanent and runtime).', reverse];
  }
}

function restartWords(h: PlanHost): { what: string; downtime: string } {
  if (h.role === 'pbx') return { what: 'the resource load balancer', downtime: 'the load balancer restarts: calls being set up may fail for a moment; do it off-peak' };
  const f = changeRoleFacts(h.role);
  return { what: `the ${f.label}`, downtime: `the ${f.label} restarts: what it carries is interrupted for a moment; do it off-peak` };
}

const portalBefore = ['whitelist_entry_added', 'whitelist_entry_renamed', 'portal_server_added', 'portal_server_renamed', 'portal_server_changed', 'whitelist_expiry_changed', 'im_token_ref_changed'];
const portalAfter = ['portal_server_removed', 'whitelist_entry_removed', 'pbx_address_changed'];

function portalTask(c: Change, newPlan: Plan): string {
  switch (c.reason) {
    case 'whitelist_entry_added':
      return `IP Blacklist > Add, as whitelisted until ${newPlan.whitelistExpires ?? 'the spec\'s expiry'}: ${c.detail}`;
    case 'portal_server_added': {
      const s = newPlan.procedure.flatMap((p) => p.items).flatMap((i) => (i.kind === 'portal-add-servers' ? i.servers : [])).find((x) => c.detail === `${x.menu}: ${x.name}`);
      if (!s) return `${c.detail}: add the entry`;
      const fields = [`name ${s.name}`, `private IP ${s.privateIp}`, ...(s.publicIp ? [`public IP ${s.publicIp}`] : []), ...(s.maxCallSessions !== null ? [`Maximum Call Sessions ${s.maxCallSessions}`] : []), ...(s.maxRooms !== null ? [`maximum rooms ${s.maxRooms}`] : []), ...(s.maxParticipants !== null ? [`maximum participants ${s.maxParticipants}`] : [])];
      return `${s.menu} > Add: ${fields.join(', ')}`;
    }
    case 'portal_server_renamed':
      return `${c.detail}: rename the entry (the server is run again with the new name, which must match it exactly)`;
    case 'portal_server_changed':
      return `${c.detail}: edit the entry (the server keeps running)`;
    case 'whitelist_entry_renamed':
      return `IP Blacklist: edit each entry's description to its host's new name, ${c.detail}`;
    case 'whitelist_expiry_changed':
      return `IP Blacklist: edit each entry's expiry, ${c.detail}`;
    case 'im_token_ref_changed':
      return `Generate a new IM token in the web portal and store it where the new reference names it (${c.detail}): the IM server is run again with it`;
    case 'portal_server_removed':
      return `${c.detail}: delete the entry (its server is removed already)`;
    case 'whitelist_entry_removed':
      return `IP Blacklist: delete ${c.detail}`;
    case 'pbx_address_changed':
      return `Setup wizard, network settings: the PBX address is now ${newPlan.cluster.pbxAddress} (${c.detail})`;
    default:
      return c.detail;
  }
}

/** The portal work a new IM, Data Flow or SBC host needs, as in a first installation: the tokens
 * before its install, the SBC's own portal after it. */
function newRoleTasks(newPlan: Plan, diff: DiffResult, when: 'before' | 'after'): string[] {
  const added = diff.changes.filter((c) => c.reason === 'host_added').flatMap((c) => c.hosts).map((n) => newPlan.hosts.find((h) => h.hostname === n)).filter((h): h is PlanHost => h !== undefined);
  return added.flatMap((h) => {
    if (when === 'before' && h.role === 'im') {
      const ref = h.preflight.secrets.find((x) => x.label === 'IM token')?.ref;
      return [`Generate the IM token in the web portal and store it where the spec's tokenRef names it (${ref ? (ref.env !== undefined ? `environment variable ${ref.env}` : `file ${ref.file}`) : 'tokenRef'}) before ${h.hostname} is installed`];
    }
    if (when === 'before' && h.role === 'dataflow') return [`Generate the Data Flow token in the web portal as the Data Flow guide asks (no script takes it) before ${h.hostname} is installed`];
    if (when === 'after' && h.role === 'sbc') return [`On the SBC portal of ${h.hostname} (https://${h.publicIp ?? h.privateIp}:8883): Settings > PBX, the PBX address ${newPlan.cluster.pbxAddress} and the SBC token from the PBX web portal`];
    return [];
  });
}

/** Changes with no host step: the vendor documents no procedure (HA), or the host itself must
 * change outside the bundle (its address), or (HA) a recreate this version does not script. */
function manualItems(diff: DiffResult, ha: boolean): ProcedureItem[] {
  const out: ProcedureItem[] = [];
  for (const [i, c] of diff.changes.entries()) {
    const id = `manual-${i + 1}`;
    if (c.manual) {
      out.push({ kind: 'change-manual', id, where: c.hosts.join(', '), title: c.detail, why: `The vendor documents no procedure for this change of a running HA cluster (${c.reason}), so this bundle runs no command for it: these are manual steps, to be planned with PortSIP support.`, tasks: [`What changes: ${c.detail}${c.forces.length ? `; it touches ${c.forces.map((f) => f.host).join(', ')}` : ''}.`, 'Plan the change with PortSIP support and carry it out by hand in a maintenance window, with a backup of the HA data volume first.', 'Afterwards the new spec\'s full bundle run with --check on every host shows what is still different.'] });
    } else if (ha && c.action === 'recreate') {
      out.push({ kind: 'change-manual', id, where: c.hosts.join(', '), title: c.detail, why: `Recreating an HA extended server (${c.reason}) is not scripted by this bundle: the HA package documents rm and run for it, carried out here by hand.`, tasks: [`On pbx01, from the HA package: the server's rm (extend.sh rm -s TYPE -a ADDRESS, im.sh rm, dataflow.sh rm or sbc.sh rm -a ADDRESS), then its run with the new values as the new spec's RUNBOOK.md gives it.`, `What changes: ${c.detail}.`] });
    } else if (c.reason === 'host_address_changed') {
      out.push({ kind: 'change-manual', id, where: c.hosts.join(', '), title: `${c.hosts.join(', ')} answers on its new address`, why: 'The host\'s own network configuration is not the bundle\'s: the host must answer on its new address before its script runs (its preflight checks it).', tasks: [`Readdress the host: ${c.detail}.`] });
    }
  }
  return out;
}

/** Where the NEW plan's steps say their spec places are (the change's items take their origins there). */
function placesOf(p: Plan, fallback: Origin[]): Places {
  const all = [...p.hosts.flatMap((h) => h.steps.flatMap((s) => s.origin)), ...p.procedure.flatMap((ph) => ph.items.flatMap((i) => i.origin))];
  const ofHosts = (names: string[]) => p.hosts.filter((h) => names.includes(h.hostname)).flatMap((h) => h.steps.flatMap((s) => s.origin)).slice(0, 4);
  const or = (os: Origin[]) => (os.length ? os : fallback);
  return {
    hosts: (names) => or(ofHosts(names)),
    addresses: (ips) => or(ofHosts(p.hosts.filter((h) => ips.includes(h.privateIp) || (h.publicIp !== null && ips.includes(h.publicIp))).map((h) => h.hostname))),
    role: (role) => or(ofHosts(p.hosts.filter((h) => h.role === role).map((h) => h.hostname))),
    spec: (...paths) => or(paths.flatMap((path) => {
      const key = path.map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').replace(/^\./, '');
      return all.filter((o) => o.path === key || o.path.startsWith(`${key}.`) || o.path.startsWith(`${key}[`)).slice(0, 4);
    })),
  };
}

export function changeProcedure(oldPlan: Plan, newPlan: Plan, plan: Plan, work: HostWork[], diff: DiffResult): PlanPhase[] {
  const ha = plan.cluster.topology === 'ha-onprem' || plan.cluster.topology === 'ha-aws';
  const reverse = `Or, for the whole change: compile ${oldPlan.specName} with --from ${newPlan.specName} and run that change bundle.`;
  const names = plan.hosts.map((h) => h.hostname);
  const phases: ProcedurePhase[] = [];
  if (names.length) phases.push({ id: 'change-preflight', title: 'Before the window: every host of this bundle at the base', items: [{ kind: 'check-all', id: 'change-check', where: 'all hosts', hosts: names }] });
  const task = (reasons: string[]) => diff.changes.filter((c) => reasons.includes(c.reason)).map((c) => portalTask(c, newPlan));
  const before = [...task(portalBefore), ...newRoleTasks(newPlan, diff, 'before')];
  if (before.length) phases.push({ id: 'change-portal', title: 'Web portal, before the hosts change', items: [{ kind: 'change-portal', id: 'portal-before', where: 'portal', title: 'Register what the new hosts need, edit what changed', tasks: before, wayBack: ['Undo each edit in the web portal: the old values are those of RUNBOOK.md of the bundle the cluster was installed with.'] }] });
  const pbx = work.find((w) => w.host.role === 'pbx' && !ha);
  const pbxFirst = pbx !== undefined && (pbx.kind === 'recreate' || pbx.host.steps.some((s) => s.kind === 'trust-source'));
  const middle = work.filter((w) => w !== pbx && w.kind !== 'retire' && w.host.steps.some((s) => s.stage === 'install')).sort(byRole);
  // HA: pbx01 reaches the new servers once they are prepared, so it comes after them.
  const control = ha ? middle.filter((w) => w.host.role === 'pbx') : [];
  const ordered = [...(pbxFirst ? [pbx!] : []), ...middle.filter((w) => !control.includes(w)), ...work.filter((w) => w.kind === 'retire').sort(byRole), ...control, ...(pbx && !pbxFirst ? [pbx] : [])];
  const hostItems: ProcedureItem[] = ordered
    .filter((w) => w.host.steps.some((s) => s.stage === 'install'))
    .map((w) => ({ kind: 'change-host', id: `change-${w.host.hostname}`, where: w.host.hostname, hostname: w.host.hostname, what: what(w, plan), stepIds: w.host.steps.filter((s) => s.stage === 'install').map((s) => s.id), only: null, downtime: downtime(w), wayBack: wayBack(w, reverse) }));
  if (hostItems.length) phases.push({ id: 'change-hosts', title: 'Change the hosts, in this order', items: hostItems });
  const restarts: ProcedureItem[] = work
    .filter((w) => w.host.steps.some((s) => s.stage === 'restart'))
    .sort(byRole)
    .map((w) => {
      const r = restartWords(w.host);
      return { kind: 'change-host', id: `restart-${w.host.hostname}`, where: w.host.hostname, hostname: w.host.hostname, what: `restart ${r.what}`, stepIds: w.host.steps.filter((s) => s.stage === 'restart').map((s) => s.id), only: 'restart', downtime: r.downtime, wayBack: ['None needed: a restart changes no configuration.'] };
    });
  if (restarts.length) phases.push({ id: 'change-restart', title: 'Restart what the change forces, in the documented order', items: restarts });
  const after = [...task(portalAfter), ...newRoleTasks(newPlan, diff, 'after')];
  if (after.length) phases.push({ id: 'change-portal-after', title: 'Web portal, after the hosts changed', items: [{ kind: 'change-portal', id: 'portal-after', where: 'portal', title: 'Delete what the retired servers left, update what moved', tasks: after, wayBack: ['Add the entries again in the web portal, with the values of RUNBOOK.md of the bundle the cluster was installed with.'] }] });
  const manual = manualItems(diff, ha);
  if (manual.length) phases.push({ id: 'change-manual', title: 'Manual steps (no command of this bundle does them)', items: manual });
  const verify = newPlan.procedure.flatMap((p) => p.items).find((i) => i.kind === 'portal-verify');
  const { origin: _o, ...verifyItem } = verify ?? { origin: [] };
  phases.push({ id: 'verify', title: 'Verify', items: [...(names.length ? [{ kind: 'check-all' as const, id: 'check-all', where: 'all hosts' as const, hosts: names }] : []), ...(verify ? [verifyItem as ProcedureItem] : [])] });
  const fallback = newPlan.hosts[0]?.steps[0]?.origin.slice(0, 1) ?? [];
  return itemOriginsAt(phases.filter((p) => p.items.length), placesOf(newPlan, fallback));
}
