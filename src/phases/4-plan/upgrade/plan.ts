// planUpgrade: two compiled Plans (OLD as installed, NEW as wanted, only the release differing)
// → the upgrade Plan. Standalone and cluster (domain §5.2): every host upgrades itself with its
// control script, in the vendor's order PBX → SBC → IM → Data Flow → each cluster server, each
// host's run being pre-flight → backup → upgrade + health gate. HA (§5.3): every command runs on
// pbx01 from the HA package, in the HA order. The runbook carries the order across hosts.
import semver from 'semver';
import type { DraftStep, HostStep, Plan, PlanHost, UpgradePullSource, UpgradeRole, VendorCall } from '../../../model/plan.js';
import { imageVersion } from '../../../model/release.js';
import { CLUSTER_ROLES, isPortalRole } from '../../../model/roles.js';
import { haCall, scriptCall, stepSecrets } from '../calls.js';
import { described } from '../describe.js';
import { fingerprint } from '../fingerprint.js';
import { formatPath } from '../../../diagnostics/yaml-path.js';
import { itemOriginsAt, type Places } from '../item-origin.js';
import { rollbackSteps, upgradeProcedure } from './procedure.js';
import { roleFacts } from './roles.js';
import { guide } from '../../../model/guides.js';

/** Where every host keeps its upgrade backups (absolute; the scripts prefix $ROOT). */
export const backupDir = (cluster: string) => `/var/backups/pbxplan/${cluster}`;

const versionOf = (image: string) => imageVersion(image).tag;

/** The images a host's role runs in a plan: [main image, second image (ClickHouse) or null]. */
function roleImages(p: Plan, role: string): [string, string | null] {
  if (role === 'sbc') return [p.release.sbcImage!, null];
  if (role === 'dataflow') return [p.release.pbxImage, p.release.clickhouseImage];
  return [p.release.pbxImage, null];
}

/** The `run` call of a host in a plan (its vendor-run step), for a Data Flow re-install. */
function runCallOf(host: PlanHost): VendorCall {
  const step = host.steps.find((s) => s.kind === 'vendor-run');
  return step!.calls.find((c) => c.purpose === 'action')!;
}

/** The site registry's login words of a run call (-R server -U user -P <placeholder>), with
 * their secret, re-based for a call whose argv ends with them. */
function loginOf(run: VendorCall, argvBefore: string[]): { argv: string[]; secrets: VendorCall['secrets'] } {
  const at = run.argv.indexOf('-R');
  if (at === -1) return { argv: [], secrets: [] };
  const words = run.argv.slice(at);
  const secrets = run.secrets.filter((x) => x.index >= at).map((x) => ({ ...x, index: x.index - at + argvBefore.length }));
  return { argv: words, secrets };
}

function upgradeCall(script: string, args: string[], run: VendorCall, pulls: string[], login: boolean): VendorCall {
  const base = scriptCall('action', script, 'upgrade', args, pulls);
  if (!login) return base;
  const l = loginOf(run, args);
  return { ...base, argv: [...args, ...l.argv], secrets: l.secrets };
}

/** The NEW bundle's install record of the host's role: its vendor-run step's marker. */
function installMarkerOf(host: PlanHost): { file: string; fingerprint: string } | null {
  const step = host.steps.find((s) => s.kind === 'vendor-run');
  return step && step.kind === 'vendor-run' ? { file: `${step.id}.args`, fingerprint: step.fingerprint } : null;
}

/** The spec places of the release behind a host's install (the origins of its run step). */
function releaseOrigin(host: PlanHost) {
  const all = host.steps.flatMap((s) => s.origin);
  const release = all.filter((o) => o.path.startsWith('release'));
  return release.length ? release : all.slice(0, 1);
}

interface HostUpgrade {
  host: PlanHost;
  order: number;
  role: UpgradeRole;
  steps: DraftStep[];
  downtime: string;
}

/** The NEW install's air-gap steps the upgrade repeats for the images it pulls: the tarballs
 * loaded and pushed into the bundle's loopback registry (and that registry set as the mirror),
 * since every vendor upgrade pulls after its teardown, loaded image or not. */
function offlineSteps(host: PlanHost, pulls: string[]): DraftStep[] {
  const out: DraftStep[] = [];
  for (const s of host.steps) {
    if (s.kind === 'registry-mirror') out.push(s);
    else if (s.kind === 'image-load' && pulls.includes(s.image)) out.push(s);
    else if (s.kind === 'local-registry') out.push({ ...s, seeds: s.seeds.filter((x) => pulls.includes(x)) });
  }
  return out;
}

function pullSource(p: Plan, offline: DraftStep[], storedLogin: boolean): UpgradePullSource {
  const local = offline.find((s) => s.kind === 'local-registry');
  if (local && local.kind === 'local-registry') {
    const file = (image: string) => offline.flatMap((s) => (s.kind === 'image-load' && s.image === image ? [s.file] : []))[0] ?? null;
    return { via: 'local-registry', address: local.address, images: local.seeds.map((image) => ({ image, file: file(image) })) };
  }
  if (p.airgap.registry) return { via: 'registry', server: p.airgap.registry.server, login: storedLogin };
  return { via: 'docker-hub' };
}

function singleHostUpgrade(oldPlan: Plan, newPlan: Plan, host: PlanHost, pbx: PlanHost): HostUpgrade | null {
  const [fromImage, fromSecond] = roleImages(oldPlan, host.role);
  const [toImage, toSecond] = roleImages(newPlan, host.role);
  if (fromImage === toImage && fromSecond === toSecond) return null; // this role's images are unchanged
  const f = roleFacts(host.role);
  const { data, scripts } = newPlan.paths;
  const containers = [{ name: f.container, fromImage, toImage }];
  if (toSecond) containers.push({ name: 'portsip.clickhouse', fromImage: fromSecond ?? toSecond, toImage: toSecond });
  const role: UpgradeRole = { label: f.label, containers, fromImage, fromVersion: versionOf(fromImage), toImage, toVersion: versionOf(toImage), record: f.record, recordKey: f.recordKey, vendorDir: f.record.includes('/') ? f.record.slice(0, f.record.lastIndexOf('/')) : '' };
  const dir = backupDir(newPlan.cluster.name);
  const sources = [...f.data.map((d) => `${data}/${d}`), `${scripts}/${f.record.includes('/') ? f.record.slice(0, f.record.lastIndexOf('/')) : f.record}`];
  const marker = `upgrade-${role.fromVersion}-${role.toVersion}.backup`;
  const origin = releaseOrigin(host);
  const source = guide(['UPG-22', 'CL-MGMT']) /* §5.2 */;
  const after = host === pbx ? null : { hostname: pbx.hostname, url: newPlan.cluster.portalUrl };
  const steps: DraftStep[] = [];
  const pulls = [toImage, ...(toSecond ? [toSecond] : [])];
  // Only cluster_ctl.sh upgrade takes -R/-U/-P; the others pull with Docker's stored login.
  const login = newPlan.airgap.registry !== null && host.role !== 'pbx' && isPortalRole(host.role);
  const offline = offlineSteps(host, pulls);
  const pullFrom = pullSource(newPlan, offline, !login);
  steps.push({ id: 'upgrade-check', title: `upgrade pre-flight: ${f.label} runs ${fromImage}, the backup fits (nothing is changed by this step)`, stage: 'install', source: `${source}: checked before any host changes`, origin, calls: [scriptCall('probe', f.script, 'status', f.typeArgs)], kind: 'upgrade-check', role, backupDir: dir, backupSources: sources, after, marker, pullFrom });
  const stopStart = f.stopForBackup ? [scriptCall('action', f.script, 'stop', []), scriptCall('action', f.script, 'start', [])] : [];
  const keyOf = (image: string) => image.replace(/[^A-Za-z0-9._-]/g, '_');
  steps.push({ id: 'upgrade-backup', title: `backup of the ${f.label} (data, vendor records, image ${fromImage}) in ${dir}`, stage: 'install', source: guide(['BR-PBX', 'UPG-22'], 'step 1, the backup'), origin, calls: stopStart, kind: 'upgrade-backup', role, sources, archive: `${dir}/${host.hostname}-${role.fromVersion}.tar.gz`, imageArchive: `${dir}/${host.hostname}-${keyOf(fromImage)}.image.tar`, secondImage: fromSecond && fromSecond !== toSecond ? { image: fromSecond, archive: `${dir}/${host.hostname}-${keyOf(fromSecond)}.image.tar` } : null, marker, fingerprint: fingerprint({ host: host.hostname, fromImage, toImage, fromSecond, toSecond }) });
  // Offline: the NEW images into the bundle's registry before the vendor's upgrade pulls them.
  steps.push(...offline);
  const run = runCallOf(host);
  let calls: VendorCall[];
  let title = `${f.label} upgraded to ${toImage} and healthy`;
  if (host.role === 'dataflow' && (semver.lt(imageVersion(oldPlan.release.pbxImage).version ?? '0.0.0', '22.3.0') || fromSecond !== toSecond)) {
    // UPG-22: from < 22.3.0 Data Flow is installed afresh; dataflow_ctl.sh upgrade ignores -d
    // (domain §6 E13), so a new ClickHouse image is a new run as well: rm keeps the data.
    calls = [scriptCall('action', f.script, 'rm', []), { ...run, pulls }];
    title = `${f.label} installed afresh with ${toImage}${toSecond ? ` and ${toSecond}` : ''} (data kept) and healthy`;
  } else {
    calls = [upgradeCall(f.script, [...f.typeArgs, '-i', toImage], run, pulls, login)];
  }
  steps.push({ id: 'upgrade', title, stage: 'install', source, origin, calls: [...calls, { ...run, purpose: 'start', pulls }, scriptCall('probe', f.script, 'status', f.typeArgs)], kind: 'vendor-upgrade', role, rollback: [], installMarker: installMarkerOf(host), removeImages: containers.filter((c) => c.fromImage !== c.toImage).map((c) => c.fromImage) });
  return { host, order: f.order, role, steps, downtime: f.downtime };
}

function haUpgrade(oldPlan: Plan, newPlan: Plan): HostUpgrade[] {
  const control = newPlan.hosts.find((h) => h.haAccount && h.deployedFrom === null)!;
  const from = oldPlan.release.pbxImage;
  const to = newPlan.release.pbxImage;
  const aws = newPlan.cluster.topology === 'ha-aws';
  const role: UpgradeRole = { label: 'HA cluster', containers: [], fromImage: from, fromVersion: versionOf(from), toImage: to, toVersion: versionOf(to), record: '', recordKey: '', vendorDir: '' };
  const print = fingerprint({ from, to, ch: [oldPlan.release.clickhouseImage, newPlan.release.clickhouseImage], sbc: [oldPlan.release.sbcImage, newPlan.release.sbcImage] });
  const origin = releaseOrigin(control);
  const once = (id: string, title: string, source: string, call: VendorCall): DraftStep => ({ id, title, stage: 'install', source, origin, calls: [call], kind: 'ha-once', marker: `${id}.done`, fingerprint: print });
  const confirm = (id: string, title: string, prompt: string, source: string): DraftStep => ({ id, title, stage: 'install', source, origin, calls: [], kind: 'checkpoint', prompt, confirmFile: `${id}-confirmed`, marker: `${id}.done`, fingerprint: print });
  const steps: DraftStep[] = [];
  if (aws) {
    steps.push(confirm('upgrade-backup', 'EBS snapshot of the HA data volume taken', 'Have you taken an EBS snapshot of the HA data volume (description pbx-ha-volumes-backup) and seen it completed?', guide('AWS-UPG', 'step 1')));
  } else {
    steps.push(once('upgrade-stop', 'PBX resource stopped for the backup', guide('OP-UPG', 'step 1'), haCall('action', 'ha_ctl.sh', 'stop', ['-s', 'pbx'])));
    steps.push(confirm('upgrade-backup', `backup of ${newPlan.paths.data} taken on the active node`, `Have you copied ${newPlan.paths.data} on the active node (ha_ctl.sh master names it) to the backup location?`, guide('OP-UPG', 'step 1')));
  }
  steps.push(confirm('upgrade-ha-package', 'HA package refreshed for the new release', `Have you replaced the HA package in ${newPlan.paths.haGuide} with the one for ${to} (old tarball deleted, new one extracted)?`, guide('OP-UPG', 'step 2')));
  steps.push(once('upgrade-pbx', `PBX upgraded to ${to} (update.sh)`, guide('OP-UPG', 'step 3'), haCall('action', 'update.sh', null, [to], [to])));
  const servers = newPlan.hosts.filter((h) => h.deployedFrom !== null);
  for (const t of [...new Set(servers.filter((h) => isPortalRole(h.role)).map((h) => CLUSTER_ROLES[h.role as keyof typeof CLUSTER_ROLES].serviceType))]) {
    steps.push(once(`upgrade-${t.replace(/-only$/, '')}`, `${t} servers upgraded (extend.sh upgrade -s ${t})`, guide(['OP-UPG', 'OP-SCALE'], 'step 4'), haCall('action', 'extend.sh', 'upgrade', ['-s', t], [to])));
  }
  if (servers.some((h) => h.role === 'im')) {
    steps.push(confirm('upgrade-im-token', 'new IM token generated in the web portal', 'Have you generated a new IM token in the web portal (the HA IM upgrade needs a new one)?', guide(['OP-UPG', 'OP-IM'], 'step 5')));
    steps.push(once('upgrade-im', 'IM server upgraded (im.sh upgrade)', guide(['OP-UPG', 'OP-IM'], 'step 5'), haCall('action', 'im.sh', 'upgrade', [], [to])));
  }
  if (servers.some((h) => h.role === 'dataflow')) {
    const ch = newPlan.release.clickhouseImage!;
    const args = ch !== oldPlan.release.clickhouseImage ? ['-d', ch] : [];
    steps.push(once('upgrade-dataflow', 'Data Flow server upgraded (dataflow.sh upgrade)', guide(['OP-UPG', 'OP-DF'], 'step 6'), haCall('action', 'dataflow.sh', 'upgrade', args, [to, ...(args.length ? [ch] : [])])));
  }
  const sbcs = servers.filter((h) => h.role === 'sbc');
  if (sbcs.length) {
    const img = newPlan.release.sbcImage!;
    steps.push(once('upgrade-sbc', 'SBCs upgraded (sbc.sh upgrade)', guide(['OP-UPG', 'OP-SBC'], 'step 7'), haCall('action', 'sbc.sh', 'upgrade', ['-a', sbcs.map((h) => h.privateIp).join(','), '-i', img], [img])));
  }
  steps.push({ id: 'upgrade-status', title: 'HA status shows the pbx resource Started', stage: 'install', source: guide('OP-UPG', 'step 3, check ha_ctl.sh status'), origin, calls: [haCall('action', 'ha_ctl.sh', aws ? 'show' : 'status', []), haCall('probe', 'ha_ctl.sh', aws ? 'show' : 'status', [])], kind: 'ha-deploy' } as DraftStep);
  return [{ host: control, order: 1, role, steps, downtime: 'the whole cluster is down from the stop for the backup until update.sh has started the new PBX; each extended server, IM, Data Flow and SBC is down again during its own upgrade' }];
}

/** Where the NEW plan's steps and runbook items say their spec places are: the upgrade's runbook
 * items take their origins from there (the NEW spec is the one the bundle is compiled from). */
function placesOf(p: Plan): Places {
  const all = [...p.hosts.flatMap((h) => h.steps.flatMap((s) => s.origin)), ...p.procedure.flatMap((ph) => ph.items.flatMap((i) => i.origin))];
  const ofHost = (name: string) => p.procedure.flatMap((ph) => ph.items.filter((i) => i.kind === 'run-host' || i.kind === 'run-control' || i.kind === 'ha-operations').filter((i) => (i as { hostname: string }).hostname === name).flatMap((i) => i.origin));
  const hosts = (names: string[]) => names.flatMap(ofHost);
  return {
    hosts,
    addresses: (ips) => hosts(p.hosts.filter((h) => ips.includes(h.privateIp) || (h.publicIp !== null && ips.includes(h.publicIp))).map((h) => h.hostname)),
    role: (role) => hosts(p.hosts.filter((h) => h.role === role).map((h) => h.hostname)),
    spec: (...paths) => paths.flatMap((path) => {
      const key = formatPath(path);
      return all.filter((o) => o.path === key || o.path.startsWith(`${key}.`) || o.path.startsWith(`${key}[`));
    }),
  };
}

/** The upgrade Plan. The caller has checked upgradeRefusal(oldPlan, newPlan) === null. */
export function planUpgrade(oldPlan: Plan, newPlan: Plan): Plan {
  const ha = newPlan.cluster.topology === 'ha-onprem' || newPlan.cluster.topology === 'ha-aws';
  const pbx = newPlan.hosts.find((h) => h.role === 'pbx')!;
  const ups = ha
    ? haUpgrade(oldPlan, newPlan)
    : newPlan.hosts
        .map((h) => singleHostUpgrade(oldPlan, newPlan, h, pbx))
        .filter((u): u is HostUpgrade => u !== null)
        .sort((a, b) => a.order - b.order);
  const hosts: PlanHost[] = ups.map((u) => {
    const steps: HostStep[] = u.steps.map((s) => (s.kind === 'vendor-upgrade' ? { ...s, rollback: rollbackSteps(newPlan, u.steps) } : s)).map(described);
    const vendorScripts = [...new Set(u.steps.flatMap((s) => s.calls.filter((c) => c.dir === 'scripts').map((c) => c.script)))];
    const haScripts = [...new Set(u.steps.flatMap((s) => s.calls.filter((c) => c.dir === 'ha-guide').map((c) => c.script)))];
    return { ...u.host, preflight: { ...u.host.preflight, vendorScripts, haScripts, secrets: stepSecrets(u.steps), dataDisk: null }, steps, files: [] };
  });
  const upgrade = {
    fromImage: oldPlan.release.pbxImage,
    fromVersion: oldPlan.release.pbxVersion,
    toImage: newPlan.release.pbxImage,
    toVersion: newPlan.release.pbxVersion,
    order: hosts.map((h) => h.hostname),
    backupDir: backupDir(newPlan.cluster.name),
    pointOfNoReturn: hosts[0]!.hostname,
  };
  // Air gap: the NEW images only; the OLD ones are on the hosts already (and saved by the
  // backup), and so are the control scripts, Docker and the bundle's registry (the upgrade
  // installs none of them; its pre-flight checks the registry answers). HA: the new release's
  // HA package (the runbook has it replaced before update.sh).
  const images = new Set(hosts.flatMap((h) => h.steps.flatMap((s) => s.calls.flatMap((c) => c.pulls))));
  const artifacts = newPlan.airgap.artifacts
    .filter((a) => a.kind === 'ha-package' || (a.kind === 'image' && a.image !== null && images.has(a.image)))
    .map((a) => ({ ...a, hosts: a.hosts.filter((n) => hosts.some((h) => h.hostname === n)) }))
    .filter((a) => a.hosts.length > 0);
  const plan: Plan = {
    ...newPlan,
    hosts,
    decisions: [
      { id: 'UPG-ORDER', choice: 'Each host runs its own script, so the vendor order across hosts is the runbook\'s: every later host\'s pre-flight also checks that the PBX answers, and every host skips what is already at the new release.' },
      { id: 'UPG-SH', choice: 'Every vendor upgrade is called with /bin/sh: under bash, pbx_ctl.sh upgrade tears the PBX down and then fails on its own option parsing.' },
      ...(ha ? [{ id: 'UPG-HA', choice: 'HA: every upgrade command runs on pbx01 from the HA package; the HA scripts leave no documented state, so a marker per command (keyed to the release change) makes a re-run skip finished commands.' }] : []),
    ],
    airgap: { ...newPlan.airgap, artifacts },
    upgrade,
    procedure: [],
  };
  const { acceptedRisks: _ar, ...rest } = plan;
  const out: Plan = newPlan.acceptedRisks ? plan : rest;
  const phases = upgradeProcedure(oldPlan, out, ups.map((u) => ({ hostname: u.host.hostname, label: u.role.label, downtime: u.downtime, fromImage: u.role.fromImage, toImage: u.role.toImage })));
  return { ...out, procedure: itemOriginsAt(phases, placesOf(newPlan)) };
}
