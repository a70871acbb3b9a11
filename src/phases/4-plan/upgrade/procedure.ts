// The upgrade runbook: pre-flight on every host first, then each host in the vendor's order with
// its downtime and its rollback, the point of no return marked, then the post-upgrade branches
// (UPG-22, OP-UPG) that apply to this release change.
import semver from 'semver';
import type { Origin, Plan, PlanPhase, ProcedureItem, ProcedurePhase, UpgradeBackupStep } from '../../../model/plan.js';
import { imageVersion } from '../../../model/release.js';

export interface HostOrder {
  hostname: string;
  label: string;
  downtime: string;
  fromImage: string;
  toImage: string;
}

const lt = (v: string | null, floor: string) => v !== null && semver.lt(v, floor);

/** How to go back from a host's backup, in words (the runbook and a failed upgrade print it). */
export function rollbackSteps(plan: Plan, steps: readonly { kind: string }[]): string[] {
  const backup = steps.find((s): s is UpgradeBackupStep => s.kind === 'upgrade-backup');
  if (!backup || backup.kind !== 'upgrade-backup') {
    return [
      plan.cluster.topology === 'ha-aws' ? 'Restore the EBS snapshot taken in the backup step: stop the cluster, replace the data volume with one made from the snapshot, start the cluster.' : `Stop the PBX resource (ha_ctl.sh stop -s pbx), copy the backup of ${plan.paths.data} back onto the active node, start it again (ha_ctl.sh start -s pbx).`,
      `Put the HA package of the old release back in ${plan.paths.haGuide} and run update.sh with the old image.`,
    ];
  }
  const r = backup.role;
  return [
    backup.secondImage
      ? `Remove what the upgrade left (the vendor script's rm) and load the saved images: docker image load -i ${backup.imageArchive}; docker image load -i ${backup.secondImage.archive} (${backup.secondImage.image}).`
      : `Remove what the upgrade left (the vendor script's rm) and load the saved image: docker image load -i ${backup.imageArchive}.`,
    `Unpack ${backup.archive} at / (it holds ${backup.sources.join(', ')})${backup.calls.length ? ', with the PBX stopped; its data must stay owned by 888:888' : ''}.`,
    `Run the old bundle's install.sh on this host: it installs ${r.fromImage} again with the old arguments.`,
  ];
}

/** The items with their spec places: the release keys the hosts' upgrade steps come from, and
 * the hosts an item names. */
function withOrigins(plan: Plan, phases: ProcedurePhase[]): PlanPhase[] {
  const stepOrigins = (names: string[]) => plan.hosts.filter((h) => names.includes(h.hostname)).flatMap((h) => h.steps.flatMap((s) => s.origin));
  const all = plan.hosts.map((h) => h.hostname);
  const namesOf = (it: ProcedureItem): string[] => ('hostname' in it ? [it.hostname] : 'hosts' in it && Array.isArray(it.hosts) ? (it.hosts as string[]) : all);
  const distinct = (os: Origin[]) => {
    const seen = new Set<string>();
    return os.filter((o) => !seen.has(`${o.path}:${o.line}`) && !!seen.add(`${o.path}:${o.line}`));
  };
  return phases.map((p) => ({ ...p, items: p.items.map((it) => ({ ...it, origin: distinct(stepOrigins(namesOf(it))) })) }));
}

export function upgradeProcedure(oldPlan: Plan, plan: Plan, order: HostOrder[]): PlanPhase[] {
  const from = imageVersion(oldPlan.release.pbxImage).version;
  const hosts = plan.hosts.map((h) => h.hostname);
  const items: ProcedureItem[] = order.map((o, i) => ({
    kind: 'upgrade-host',
    id: `upgrade-${o.hostname}`,
    where: o.hostname,
    hostname: o.hostname,
    order: i + 1,
    label: o.label,
    fromImage: o.fromImage,
    toImage: o.toImage,
    stepIds: plan.hosts[i]!.steps.map((s) => s.id),
    expectedDowntime: o.downtime,
    rollback: rollbackSteps(plan, plan.hosts[i]!.steps),
    pointOfNoReturn: i === 0,
  }));
  const notes: ProcedureItem[] = [];
  const roles = new Set(plan.hosts.map((h) => h.role).concat(oldPlan.hosts.map((h) => h.role)));
  if (roles.has('dataflow') && lt(from, '22.3.0')) {
    notes.push({ kind: 'upgrade-note', id: 'note-dataflow', where: 'portal', title: 'Data Flow installed afresh', text: `The old PBX was older than 22.3.0, so Data Flow was installed afresh: create its instance again in the web portal (Data Flow token), as in a first installation.` });
  }
  if (roles.has('sbc') && lt(from, '22.2.0')) {
    notes.push({ kind: 'upgrade-note', id: 'note-sbc-token', where: 'SBC portals', title: 'SBC token pasted again', text: 'The upgrade crossed 22.2: copy the regenerated SBC token from the PBX web portal into each SBC portal (Settings > PBX).' });
  }
  if (lt(from, '22.3.0')) {
    notes.push({ kind: 'upgrade-note', id: 'note-blf', where: 'portal', title: 'BLF keys for DND and Available set again', text: 'Upgrading from before 22.3.0 clears the BLF keys for DND and Available: set them again on the phones or in the provisioning templates.' });
  }
  const phases: ProcedurePhase[] = [
    // HA: the HA scripts keep no state a pre-flight could read on pbx01; its --check preflight
    // (secrets, scripts, HA status) is what can be checked before the stop.
    { id: 'upgrade-preflight', title: 'Pre-flight on every host, before anything changes', items: [plan.hosts.some((h) => h.steps.some((x) => x.kind === 'upgrade-check')) ? { kind: 'upgrade-preflight', id: 'upgrade-preflight', where: 'all hosts', hosts, backupDir: plan.upgrade!.backupDir } : { kind: 'check-all', id: 'upgrade-preflight', where: 'all hosts', hosts }] },
    { id: 'upgrade', title: `Upgrade ${plan.upgrade!.fromImage} → ${plan.upgrade!.toImage}, host by host in this order`, items },
  ];
  if (notes.length) phases.push({ id: 'upgrade-after', title: 'After the upgrade', items: notes });
  phases.push({ id: 'verify', title: 'Verify', items: [{ kind: 'check-all', id: 'check-all', where: 'all hosts', hosts }] });
  return withOrigins(plan, phases);
}
