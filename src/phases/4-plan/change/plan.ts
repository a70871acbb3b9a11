// planChange: two compiled Plans (OLD as installed, NEW as wanted, the release the same) and the
// diff between them → the change Plan. Only the hosts the diff touches get a script, and each
// script holds only the steps that carry out its part of the diff (domain §5.1): a new host its
// whole install; a recreated role the vendor's rm, then the NEW install's run; a retired role its
// rm (and with --purge its data deleted); the main PBX its trusted sources added and removed; a
// restart only where the diff forces one (§5.5). The runbook (procedure.ts) orders the hosts.
import type { DiffResult } from '../../../diff/model.js';
import type { DraftStep, HostStep, Origin, Plan, PlanHost, PlanIdentity, VendorCall } from '../../../model/plan.js';
import { CLUSTER_ROLES, isPortalRole } from '../../../model/roles.js';
import { controlScripts, haCall, scriptCall, stepSecrets } from '../calls.js';
import { described } from '../describe.js';
import { fingerprint } from '../fingerprint.js';
import { changeProcedure, type HostWork } from './procedure.js';
import { changeRoleFacts } from './roles.js';
import { fromScripts, guide } from '../../../model/guides.js';

/** Old host name → new host name for the hosts both plans have (a renamed server included). */
export type HostPairs = { old: string; new: string }[];

export interface ChangeOptions {
  /** --purge: a retired role's data directories are deleted, not kept. */
  purge: boolean;
}

/** What a host's steps do to it, without the words and the spec places (which may move). */
function hostShape(h: PlanHost) {
  const steps = h.steps.map(({ origin: _o, title: _t, checks: _c, does: _d, verifies: _v, source: _s, ...rest }) => rest);
  return { hostname: h.hostname, role: h.role, serverName: h.serverName, privateIp: h.privateIp, publicIp: h.publicIp, steps };
}

/** The hash of a plan: everything it does to the hosts, not its spec's comments, lines or words. */
export function planHash(p: Plan): string {
  const { description: _d, ...cluster } = p.cluster;
  return fingerprint({ cluster, release: p.release, paths: p.paths, whitelistExpires: p.whitelistExpires, hosts: p.hosts.map(hostShape) });
}

export const identityOf = (p: Plan): PlanIdentity => ({ specName: p.specName, specSha256: p.specSha256, planHash: planHash(p) });

const isHa = (p: Plan) => p.cluster.topology === 'ha-onprem' || p.cluster.topology === 'ha-aws';
const runStep = (h: PlanHost) => h.steps.find((s) => s.kind === 'vendor-run');
const firstAction = (s: { calls: VendorCall[] }) => s.calls.find((c) => c.purpose === 'action');

/** A place in the NEW spec for steps the NEW spec causes by leaving something out: the path
 * itself where NEW names it, else the host list, else the PBX. */
function placeIn(p: Plan, ...paths: string[]): Origin[] {
  const all = p.hosts.flatMap((h) => h.steps.flatMap((s) => s.origin));
  for (const path of [...paths, 'servers']) {
    const hit = all.find((o) => o.path === path);
    if (hit) return [hit];
  }
  return all.slice(0, 1);
}

function trustOf(p: Plan, hostname: string): Map<string, HostStep> {
  const h = p.hosts.find((x) => x.hostname === hostname);
  return new Map((h?.steps ?? []).filter((s) => s.kind === 'trust-source').map((s) => [(s as { address: string }).address, s]));
}

function roleRemove(host: PlanHost, origin: Origin[], recreatedAs: string | null): DraftStep | null {
  const run = runStep(host);
  if (!run || run.kind !== 'vendor-run') return null;
  const f = changeRoleFacts(host.role);
  // A retired role takes its restart marker along: nothing of it is left to restart.
  const alsoRemoves = recreatedAs ? [] : host.steps.flatMap((s) => (s.kind === 'vendor-restart' ? [s.marker] : []));
  return {
    id: `remove-${run.id}`,
    title: recreatedAs ? `${f.label} removed (vendor rm, data kept) to be run again with the new arguments` : `${f.label} role removed from this host (vendor rm; data kept)`,
    stage: 'install',
    source: guide('PBX-INST', 'rm removes the containers only, the data is kept') /* §5.1 */,
    origin,
    calls: [scriptCall('action', f.script, 'rm', f.rmArgs)],
    kind: 'role-remove',
    container: run.container,
    record: `${run.id}.args`,
    alsoRemoves,
    recreatedAs,
  };
}

/** The markers of a NEW host's restart and confirmation steps that this change neither runs nor
 * finds recorded already: recorded without running (the diff forces nothing there). */
function markerRecords(before: PlanHost | undefined, after: PlanHost, included: DraftStep[]): DraftStep[] {
  const had = new Map((before?.steps ?? []).flatMap((s) => (s.kind === 'vendor-restart' || s.kind === 'checkpoint' ? [[s.marker, s.fingerprint] as const] : [])));
  const runs = new Set(included.map((s) => s.id));
  return after.steps.flatMap((s): DraftStep[] =>
    (s.kind === 'vendor-restart' || s.kind === 'checkpoint') && !runs.has(s.id) && had.get(s.marker) !== s.fingerprint
      ? [{ id: `record-${s.id}`, title: `${s.id} recorded for the new membership without running it (the change forces none here)`, stage: 'install', source: guide('CL-CFG', 'restart order; this change forces no restart here, so only the marker is recorded') /* §5.1, §5.5 */, origin: s.origin, calls: [], kind: 'marker-record', marker: s.marker, fingerprint: s.fingerprint, of: s.id }]
      : [],
  );
}

function untrust(address: string, origin: Origin[], why: string): DraftStep {
  return { id: `untrust-${address.replace('/', '_')}`, title: `firewalld no longer trusts ${address} (${why})`, stage: 'install', source: guide('CL-CFG', 'every cluster server is a trusted source on the PBX; the control scripts only add sources, so a retired one is removed here') /* C24, §5.1 */, origin, calls: [], kind: 'trust-remove', address };
}

function purge(plan: Plan, host: PlanHost, origin: Origin[]): DraftStep {
  const f = changeRoleFacts(host.role);
  const paths = [...f.data.map((d) => `${plan.paths.data}/${d}`), ...(f.vendorDir ? [`${plan.paths.scripts}/${f.vendorDir}`] : [])];
  return { id: 'purge', title: `data of the retired ${f.label} deleted (--purge): ${paths.join(', ')}`, stage: 'install', source: fromScripts('rm keeps a role\'s data; compile --purge deletes its directories') /* §5.1 */, origin, calls: [], kind: 'purge', paths };
}

/** HA: an extended server taken off from pbx01 with the HA package (OP-SCALE, OP-IM, OP-DF,
 * OP-SBC rm), guarded by pbx01's record of its deployment (the ha-extend step's marker). */
function haRemove(control: PlanHost, host: PlanHost, origin: Origin[]): DraftStep {
  const call = isPortalRole(host.role)
    ? haCall('action', 'extend.sh', 'rm', ['-s', CLUSTER_ROLES[host.role].serviceType, '-a', host.privateIp])
    : host.role === 'im'
      ? haCall('action', 'im.sh', 'rm', [])
      : host.role === 'dataflow'
        ? haCall('action', 'dataflow.sh', 'rm', [])
        : haCall('action', 'sbc.sh', 'rm', ['-a', host.privateIp]);
  const label = changeRoleFacts(host.role).label;
  const deploy = control.steps.find((s) => s.kind === 'ha-extend' && s.targets.includes(host.privateIp));
  const record = deploy && deploy.kind === 'ha-extend' ? deploy.marker : `extend-${host.hostname}.done`;
  return { id: `retire-${host.hostname}`, title: `${label} ${host.hostname} removed from the cluster (${call.script} rm; data kept)`, stage: 'install', source: guide(['OP-SCALE', 'AWS-SCALE', 'OP-IM', 'OP-DF', 'OP-SBC'], 'extend.sh rm -s -a, im.sh, dataflow.sh and sbc.sh rm'), origin, calls: [call], kind: 'role-remove', container: null, record, alsoRemoves: [], recreatedAs: null };
}

/** The steps of one host, each described; the preflight lists what those steps call and read. */
function finalHost(base: PlanHost, steps: DraftStep[]): PlanHost {
  const vendorScripts = controlScripts(steps).filter((s) => base.preflight.vendorScripts.includes(s) || !base.steps.some((x) => x.kind === 'vendor-scripts'));
  const pins = base.preflight.scriptPins;
  const scriptPins = pins ? { revision: pins.revision, scripts: pins.scripts.filter((x) => vendorScripts.includes(x.script)) } : null;
  const haScripts = [...new Set(steps.flatMap((s) => s.calls.filter((c) => c.dir === 'ha-guide').map((c) => c.script)))];
  return {
    ...base,
    files: base.files.filter((f) => steps.some((s) => s.kind === 'file-sync' && s.file === f.name)),
    preflight: { ...base.preflight, vendorScripts, scriptPins: scriptPins && scriptPins.scripts.length ? scriptPins : null, secrets: stepSecrets(steps), haScripts: base.preflight.haScripts.length ? haScripts : [] },
    steps: steps.map(described),
  };
}

const strip = (s: HostStep): DraftStep => {
  const { checks: _c, does: _d, verifies: _v, ...rest } = s;
  return rest as DraftStep;
};

/** The install records a host's script compares before it starts (ChangeSummary.hosts). */
function recordsOf(oldHost: PlanHost | undefined, newHost: PlanHost | undefined): { file: string; old: string | null; new: string | null }[] {
  const of = (h: PlanHost | undefined) => new Map((h?.steps ?? []).flatMap((s) => (s.kind === 'vendor-run' ? [[`${s.id}.args`, s.fingerprint] as const] : s.kind === 'ha-extend' ? [[s.marker, s.fingerprint] as const] : [])));
  const o = of(oldHost);
  const n = of(newHost);
  return [...new Set([...o.keys(), ...n.keys()])].sort().map((file) => ({ file, old: o.get(file) ?? null, new: n.get(file) ?? null }));
}

/** The change Plan. The caller has checked that the diff is a change (bundleKind) with no errors. */
export function planChange(oldPlan: Plan, newPlan: Plan, diff: DiffResult, pairs: HostPairs, opts: ChangeOptions, summary: string[]): Plan {
  const ha = isHa(newPlan);
  const changes = diff.changes;
  const newOf = new Map(pairs.map((p) => [p.old, p.new]));
  const oldOf = new Map(pairs.map((p) => [p.new, p.old]));
  const newHost = (name: string) => newPlan.hosts.find((h) => h.hostname === name);
  const oldHost = (name: string) => oldPlan.hosts.find((h) => h.hostname === name);
  const added = new Set(changes.filter((c) => c.reason === 'host_added').flatMap((c) => c.hosts));
  const removed = changes.filter((c) => c.reason === 'host_removed').flatMap((c) => c.hosts);
  const manual = changes.filter((c) => c.manual);
  const recreated = new Set([...changes.filter((c) => c.action === 'recreate' && !c.manual).flatMap((c) => c.hosts), ...changes.flatMap((c) => c.forces.filter((f) => f.action === 'recreate' && !c.manual).map((f) => f.host))]);
  const restarted = new Map<string, Set<string>>();
  for (const c of changes) for (const f of c.forces.filter((x) => x.action === 'restart')) restarted.set(f.host, (restarted.get(f.host) ?? new Set()).add(f.what));
  const pbxMoved = oldPlan.cluster.pbxAddress !== newPlan.cluster.pbxAddress && !ha;
  const work: HostWork[] = [];

  // The restart steps the diff forces on a host: the load balancer on the PBX (never the PBX
  // itself: its restart is keyed to its own address and image), each cluster server's own.
  const forcedRestarts = (h: PlanHost): DraftStep[] => {
    const what = restarted.get(h.hostname);
    if (!what) return [];
    return h.steps.filter((s) => s.kind === 'vendor-restart' && (h.role !== 'pbx' || s.id === 'restart-loadbalancer')).map(strip);
  };

  for (const h of newPlan.hosts) {
    const before = oldHost(oldOf.get(h.hostname) ?? '');
    if (added.has(h.hostname)) {
      // A new host: its whole NEW install (restarts are the runbook's, and only those forced).
      const install = h.steps.filter((s) => s.stage === 'install').map(strip);
      work.push({ kind: 'add', host: finalHost(h, [...install, ...markerRecords(undefined, h, install)]), before: null, after: h });
      continue;
    }
    if (!before) continue;
    const steps: DraftStep[] = [];
    const isRecreated = recreated.has(h.hostname) && !ha;
    if (isRecreated) {
      const run = runStep(h);
      for (const s of h.steps) {
        if (s.stage !== 'install') continue;
        const was = runStep(before);
        const sameRun = was?.kind === 'vendor-run' && run?.kind === 'vendor-run' && was.fingerprint === run.fingerprint;
        if (s === run && run.kind === 'vendor-run') {
          const rm = roleRemove(before, s.origin, run.fingerprint);
          const secret = run.calls.find((c) => c.purpose === 'action')?.secrets[0];
          // Only the secret's reference changed: the container's own arguments tell old from new.
          if (rm && rm.kind === 'role-remove') steps.push(sameRun && secret ? { ...rm, recreatedAs: null, tokenRef: secret.ref } : rm);
        }
        // The install's trusted sources are compared below, one by one.
        if (s.kind === 'trust-source' || s.kind === 'firewall-reload') continue;
        steps.push(s === run && was?.kind === 'vendor-run' && !sameRun ? ({ ...strip(s), replaces: was.fingerprint } as DraftStep) : strip(s));
      }
    }
    // Trusted sources on this host: added (then one reload), then the retired ones removed.
    const oldTrust = trustOf(oldPlan, before.hostname);
    const newTrust = trustOf(newPlan, h.hostname);
    const adds = [...newTrust].filter(([a]) => !oldTrust.has(a)).map(([, s]) => strip(s));
    steps.push(...adds);
    const reload = h.steps.find((s) => s.kind === 'firewall-reload');
    if (adds.length && reload) steps.push(strip(reload));
    for (const a of [...oldTrust.keys()].filter((x) => !newTrust.has(x))) {
      const gone = oldPlan.hosts.find((x) => x.privateIp === a || x.publicIp === a);
      steps.push(untrust(a, placeIn(newPlan, 'firewall.trustedSources', 'firewall'), gone && !newPlan.hosts.some((x) => x.privateIp === a) ? `${gone.hostname} no longer has it` : 'no longer a trusted source of the spec'));
    }
    // The IM script trusts the PBX address on the IM host itself: a moved PBX leaves the old one.
    if (pbxMoved && h.role === 'im') steps.push(untrust(oldPlan.cluster.pbxAddress, placeIn(newPlan, 'pbx.host.privateIp'), 'the old PBX address, trusted by the IM script'));
    const restarts = forcedRestarts(h);
    steps.push(...markerRecords(before, h, restarts), ...restarts);
    if (!steps.length) continue;
    work.push({ kind: isRecreated ? 'recreate' : steps.every((s) => s.stage === 'restart') ? 'restart' : 'update', host: finalHost(h, steps), before, after: h });
  }

  // Retired hosts: the role removed on the host itself (standalone) or from pbx01 (HA).
  for (const name of removed) {
    const h = oldHost(name)!;
    const origin = placeIn(newPlan, 'servers');
    if (ha) {
      const control = newPlan.hosts.find((x) => x.haAccount && x.deployedFrom === null);
      if (!control) continue;
      const existing = work.find((w) => w.host.hostname === control.hostname);
      const step = haRemove(oldHost(oldOf.get(control.hostname) ?? '') ?? control, h, origin);
      if (existing) existing.host = { ...existing.host, steps: [...existing.host.steps, described(step)] };
      else work.push({ kind: 'update', host: finalHost(control, [step]), before: oldHost(oldOf.get(control.hostname) ?? '') ?? null, after: control });
      continue;
    }
    const steps: DraftStep[] = [];
    const rm = roleRemove(h, origin, null);
    if (rm) steps.push(rm);
    if (h.role === 'im') steps.push(untrust(oldPlan.cluster.pbxAddress, origin, 'the PBX address, trusted by the IM script'));
    if (opts.purge) steps.push(purge(oldPlan, h, origin));
    work.push({ kind: 'retire', host: finalHost(h, steps), before: h, after: null });
  }

  // HA: pbx01 gets the NEW steps that reach a new extended server (SSH, /etc/hosts, the portal
  // checkpoint, its extend.sh run); the other HA changes are the runbook's manual steps.
  if (ha && added.size) {
    const control = newPlan.hosts.find((x) => x.haAccount && x.deployedFrom === null);
    const before = control ? oldHost(oldOf.get(control.hostname) ?? '') : undefined;
    if (control && before) {
      const had = new Set(before.steps.map((s) => JSON.stringify(hostShape({ ...before, steps: [s] }).steps[0])));
      const reach = control.steps.filter((s) => ['ssh-access', 'hosts-entry', 'checkpoint', 'ha-extend'].includes(s.kind) && !had.has(JSON.stringify(hostShape({ ...control, steps: [s] }).steps[0])));
      const existing = work.find((w) => w.host.hostname === control.hostname);
      // The steps it runs itself are not recorded without running.
      const steps = [...reach.map(strip), ...(existing ? existing.host.steps.filter((x) => !reach.some((r) => x.id === `record-${r.id}`)).map(strip) : [])];
      const host = finalHost(control, steps);
      if (existing) existing.host = host;
      else if (steps.length) work.push({ kind: 'update', host, before, after: control });
    }
  }

  const hosts = work.map((w) => w.host);
  const names = new Set(hosts.map((h) => h.hostname));
  const artifacts = newPlan.airgap.artifacts.map((a) => ({ ...a, hosts: a.hosts.filter((n) => names.has(n)) })).filter((a) => a.hosts.length > 0);
  const change = {
    base: identityOf(oldPlan),
    target: identityOf(newPlan),
    summary,
    changes: changes.map((c) => ({ action: c.action, reason: c.reason, hosts: c.hosts, detail: c.detail, manual: c.manual, forces: c.forces.map((f) => `${f.action} ${f.host} (${f.what})`) })),
    hosts: work.map((w) => ({ hostname: w.host.hostname, records: recordsOf(w.before ?? undefined, w.after ?? undefined) })),
    purge: opts.purge,
    manual: manual.map((c) => c.reason),
  };
  const { acceptedRisks: _ar, upgrade: _up, ...rest } = newPlan;
  const plan: Plan = {
    ...(newPlan.acceptedRisks ? { ...rest, acceptedRisks: newPlan.acceptedRisks } : rest),
    hosts,
    decisions: [
      { id: 'CHG-BASE', choice: `Each host script applies to a host installed from ${oldPlan.specName} (plan ${change.base.planHash}) or already at ${newPlan.specName} (plan ${change.target.planHash}); a host whose install records match neither stops before any change (exit 3).` },
      { id: 'CHG-ORDER', choice: 'Each host runs its own script, so the order across hosts is the runbook\'s: new addresses trusted and registered before the hosts that use them are installed, retired ones removed after their roles are gone, restarts last in the documented order.' },
    ],
    airgap: { ...newPlan.airgap, artifacts },
    change,
    procedure: [],
  };
  void newOf;
  return { ...plan, procedure: changeProcedure(oldPlan, newPlan, plan, work, diff) };
}
