// Pass 2 for topologies T1 and T2 (domain §1.1–1.2): a single main PBX, optionally with cluster
// servers, IM, Data Flow and SBC, every command run locally on its own host (CL-CFG).
import { Address4 } from 'ip-address';
import type { YamlPath } from '../../../diagnostics/diagnostic.js';
import { serverHostname } from '../../../model/hosts.js';
import type { Decision, DraftStep, Origin, PlanHost, ProcedurePhase, Topology } from '../../../model/plan.js';
import { CLUSTER_ROLES, CONTAINERS, VENDOR_SCRIPTS, isPortalRole } from '../../../model/roles.js';
import type { Server, Spec } from '../../../model/spec.js';
import type { BasePlan, PlacedServer } from '../base.js';
import { runCall, scriptCall } from '../calls.js';
import { fingerprint } from '../fingerprint.js';
import { LOCAL_HOST, portalItems, preflight, runHostItem, scriptPath, verifyItem, type DraftHost, type TopologyPass } from './common.js';
import { fromScripts, guide } from '../../../model/guides.js';

/** Roles whose hosts the main PBX trusts in firewalld (C24: cluster roles, IM, Data Flow). */
const TRUSTED_ROLES = new Set(['media', 'queue', 'meeting', 'ivr', 'im', 'dataflow']);

function dockerStep(origin: Origin[]): DraftStep {
  return {
    id: 'docker',
    title: 'Docker Engine, Compose plugin and firewalld installed',
    stage: 'install',
    source: guide(['PBX-INST', 'CL-PREP']) /* §7 Docker installed */,
    origin,
    calls: [scriptCall('action', VENDOR_SCRIPTS.docker, null, [])],
    kind: 'docker',
  };
}

export function planSingle(spec: Spec, base: BasePlan): TopologyPass {
  const pbxHost = spec.pbx.host!; // schema: required with mode single
  const placed = base.servers;
  const servers = placed.map((p) => p.server);
  const { data } = base.head.paths;
  const { release } = base.head;
  const image = release.pbxImage;
  const pbxPath: YamlPath = ['pbx', 'host'];
  const pbxOrigin = base.origin(pbxPath);
  // E50: the guides disagree on the PBX -a address; cluster servers point -x at the private IP (CL-CFG),
  // so the PBX is installed on its private IP as well and the public IP goes into the wizard only.
  const pbxAddress = pbxHost.privateIp;
  const topology: Topology = servers.some((s) => isPortalRole(s.role) || s.role === 'im') ? 'cluster' : 'standalone';
  const membership = fingerprint({ pbxAddress, image: spec.release.pbxImage, servers: servers.map((s) => [s.role, s.name, s.privateIp, s.publicIp ?? null]) });
  // The PBX restart is keyed to what needs it (the PBX's own address and image), not to the
  // membership: servers added later re-arm only the load balancer and the servers (CL-CFG,
  // the cluster guide's management page).
  const pbxIdentity = fingerprint({ pbxAddress, image: spec.release.pbxImage });
  const restartNeeded = servers.some((s) => s.role !== 'sbc');
  const serversOrigin = base.origin(['servers']);

  // ---- main PBX -------------------------------------------------------------------------
  const pbxSteps: DraftStep[] = [dockerStep(pbxOrigin)];
  if (pbxHost.recordingsPath) {
    pbxSteps.push({ id: 'recordings-dir', title: `recordings directory ${pbxHost.recordingsPath} exists`, stage: 'install', source: fromScripts('pbx_ctl.sh -f names a directory that must exist') /* C11 */, origin: base.origin([...pbxPath, 'recordingsPath']), calls: [], kind: 'dir', path: pbxHost.recordingsPath });
  }
  const pbxArgs = ['-p', data, '-a', pbxAddress, '-i', image];
  if (release.postgresImage) pbxArgs.push('-d', release.postgresImage);
  if (pbxHost.recordingsPath) pbxArgs.push('-f', pbxHost.recordingsPath);
  const pbxRun = runCall(base, VENDOR_SCRIPTS.pbx, pbxArgs, [image, release.postgresImage].filter((i): i is string => !!i), null);
  pbxSteps.push({
    id: 'pbx',
    title: 'PortSIP PBX installed',
    stage: 'install',
    source: guide('PBX-INST') /* §2.1 */,
    origin: [...pbxOrigin, ...base.origin(['release', 'pbxImage'], ['release', 'postgresImage'], ['paths', 'data'])],
    calls: [pbxRun.call, scriptCall('start', VENDOR_SCRIPTS.pbx, 'start', [])],
    kind: 'vendor-run',
    container: CONTAINERS.pbx,
    fingerprint: pbxRun.fingerprint,
  });
  const subnet = spec.firewall?.trustedSources === 'subnet' && spec.firewall.subnet ? spec.firewall.subnet : null;
  const trustedServers = placed.filter((p) => TRUSTED_ROLES.has(p.server.role));
  const trusted: { address: string; origin: Origin[] }[] = subnet
    ? trustedServers.length ? [{ address: networkOf(subnet), origin: base.origin(['firewall', 'subnet']) }] : []
    : trustedServers.map((p) => ({ address: p.server.privateIp, origin: base.origin([...p.path, 'privateIp']) }));
  for (const t of trusted) {
    pbxSteps.push({ id: `trust-${t.address.replace('/', '_')}`, title: `firewalld trusts ${t.address} (permanent)`, stage: 'install', source: guide('CL-CFG', 'every cluster server is a trusted source on the PBX') /* C24 */, origin: t.origin, calls: [], kind: 'trust-source', address: t.address });
  }
  if (trusted.length) {
    pbxSteps.push({ id: 'firewall-reload', title: 'firewalld runtime matches the permanent trusted sources', stage: 'install', source: guide('CL-CFG', 'every cluster server is a trusted source on the PBX') /* C24 */, origin: trusted.flatMap((t) => t.origin), calls: [], kind: 'firewall-reload', sources: trusted.map((t) => t.address) });
  }
  if (restartNeeded) {
    pbxSteps.push(restart('restart-pbx', 'PBX restarted after the cluster was configured', VENDOR_SCRIPTS.pbx, [], pbxIdentity, [...pbxOrigin, ...base.origin(['release', 'pbxImage'])]));
    pbxSteps.push(restart('restart-loadbalancer', 'resource load balancer restarted', VENDOR_SCRIPTS.pbx, ['-s', 'loadbalancer'], membership, serversOrigin));
  }
  const hosts: DraftHost[] = [
    {
      hostname: pbxHost.hostname,
      role: 'pbx',
      serverName: null,
      privateIp: pbxHost.privateIp,
      publicIp: pbxHost.publicIp ?? null,
      script: scriptPath(pbxHost.hostname),
      ...LOCAL_HOST,
      preflight: preflight([pbxHost.privateIp, pbxHost.publicIp], pbxHost.hardware ?? spec.pbx.hardware),
      steps: pbxSteps,
      origin: pbxOrigin,
    },
  ];

  // ---- extended servers ---------------------------------------------------------------------
  for (const p of placed) hosts.push(serverHost(p, { data, image, pbxAddress, membership, base }));

  return {
    cluster: { ...base.cluster, topology, pbxAddress, portalUrl: `https://${pbxAddress}:8887` },
    hosts,
    decisions: decisions(servers),
  };
}

function restart(id: string, title: string, script: string, args: string[], membership: string, origin: Origin[]): DraftStep {
  return { id, title, stage: 'restart', source: guide('CL-CFG', 'restart order') /* §5.5 */, origin, calls: [scriptCall('action', script, 'restart', args)], kind: 'vendor-restart', marker: `${id}.done`, fingerprint: membership };
}

interface ServerCtx {
  data: string;
  image: string;
  pbxAddress: string;
  membership: string;
  base: BasePlan;
}

function serverHost({ server: s, path }: PlacedServer, c: ServerCtx): DraftHost {
  const hostname = serverHostname(s);
  const origin = c.base.origin(path);
  const imageOrigin = [...origin, ...c.base.origin(['release', 'pbxImage'])];
  const restartOrigin = [...origin, ...c.base.origin(['servers'])];
  const { release } = c.base.head;
  const steps: DraftStep[] = [dockerStep(origin)];
  const common = { stage: 'install' as const, kind: 'vendor-run' as const };
  if (isPortalRole(s.role)) {
    const facts = CLUSTER_ROLES[s.role];
    const run = runCall(c.base, VENDOR_SCRIPTS.cluster, ['-p', c.data, '-a', s.privateIp, '-x', c.pbxAddress, '-i', c.image, '-s', facts.serviceType, '-n', s.name], [c.image], null);
    steps.push({
      ...common,
      id: facts.serviceType.replace(/-only$/, ''),
      title: `${facts.label} server "${s.name}" installed`,
      source: guide('CL-CFG', 'cluster_ctl.sh run needs all of -p -a -x -i -s -n') /* §2.3, C13, C14 */,
      origin: imageOrigin,
      calls: [run.call, scriptCall('start', VENDOR_SCRIPTS.cluster, 'start', ['-s', facts.serviceType])],
      container: facts.container,
      fingerprint: run.fingerprint,
    });
    steps.push(restart(`restart-${facts.serviceType.replace(/-only$/, '')}`, `${facts.label} server restarted after the PBX`, VENDOR_SCRIPTS.cluster, ['-s', facts.serviceType], c.membership, restartOrigin));
  } else if (s.role === 'im') {
    const ref = s.tokenRef!; // schema: required on im
    if (s.chatFilesPath) {
      steps.push({ id: 'chat-files-dir', title: `chat-file directory ${s.chatFilesPath} exists`, stage: 'install', source: fromScripts('im_ctl.sh -f names a directory that must exist') /* C11 */, origin: c.base.origin([...path, 'chatFilesPath']), calls: [], kind: 'dir', path: s.chatFilesPath });
    }
    const args = ['-E', '-p', c.data];
    if (s.chatFilesPath) args.push('-f', s.chatFilesPath);
    args.push('-a', s.privateIp);
    if (s.publicIp) args.push('-A', s.publicIp);
    // With a site registry the vendor's default PostgreSQL image is pinned right after -i.
    args.push('-i', c.image);
    if (release.postgresImage && !c.base.registry) args.push('-x', c.pbxAddress, '-d', release.postgresImage);
    else if (release.postgresImage) args.push('-d', release.postgresImage, '-x', c.pbxAddress);
    else args.push('-x', c.pbxAddress);
    const run = runCall(c.base, VENDOR_SCRIPTS.im, args, [c.image, release.postgresImage].filter((i): i is string => !!i), { flag: '-t', label: 'IM token', ref });
    steps.push({ ...common, id: 'im', title: `IM server "${s.name}" installed (extended mode)`, source: guide(['CL-CFG', 'IM-INST']) /* §2.4, C13 */, origin: [...imageOrigin, ...c.base.origin([...path, 'tokenRef'])], calls: [run.call, scriptCall('start', VENDOR_SCRIPTS.im, 'start', [])], container: CONTAINERS.im, fingerprint: run.fingerprint });
    steps.push(restart('restart-im', 'IM server restarted after the PBX', VENDOR_SCRIPTS.im, [], c.membership, restartOrigin));
  } else if (s.role === 'dataflow') {
    const args = ['-p', c.data, '-a', s.privateIp];
    if (s.publicIp) args.push('-A', s.publicIp);
    args.push('-i', c.image, '-x', c.pbxAddress, '-d', release.clickhouseImage!);
    const run = runCall(c.base, VENDOR_SCRIPTS.dataflow, args, [c.image, release.clickhouseImage!], null);
    steps.push({ ...common, id: 'dataflow', title: `Data Flow server "${s.name}" installed`, source: guide(['CL-CFG', 'DF-INST']) /* §2.5, C13 */, origin: [...imageOrigin, ...c.base.origin(['release', 'clickhouseImage'])], calls: [run.call, scriptCall('start', VENDOR_SCRIPTS.dataflow, 'start', [])], container: CONTAINERS.dataflow, fingerprint: run.fingerprint });
    steps.push(restart('restart-dataflow', 'Data Flow server restarted after the PBX', VENDOR_SCRIPTS.dataflow, [], c.membership, restartOrigin));
  } else {
    const run = runCall(c.base, VENDOR_SCRIPTS.sbc, ['-p', c.data, '-i', release.sbcImage!], [release.sbcImage!], null);
    steps.push({ ...common, id: 'sbc', title: `SBC "${s.name}" installed`, source: guide('SBC-INST', 'sbc_ctl.sh run needs both -p and -i') /* §2.6, C13 */, origin: [...origin, ...c.base.origin(['release', 'sbcImage'])], calls: [run.call, scriptCall('start', VENDOR_SCRIPTS.sbc, 'start', [])], container: CONTAINERS.sbc, fingerprint: run.fingerprint });
  }
  return {
    hostname,
    role: s.role,
    serverName: isPortalRole(s.role) ? s.name : null,
    privateIp: s.privateIp,
    publicIp: s.publicIp ?? null,
    script: scriptPath(hostname),
    ...LOCAL_HOST,
    preflight: preflight([s.privateIp, s.publicIp], s.hardware),
    steps,
    origin,
  };
}

/** The runbook of a single-PBX topology, from the final hosts (every pass's steps included). */
export function procedureSingle(spec: Spec, base: BasePlan, hosts: PlanHost[]): ProcedurePhase[] {
  const servers = base.servers.map((p) => p.server);
  const pbxHost = spec.pbx.host!;
  const pbxAddress = pbxHost.privateIp;
  const restartNeeded = servers.some((s) => s.role !== 'sbc');
  const expires = base.head.whitelistExpires;
  const pbx = hosts[0]!;
  const byName = new Map<string, PlanHost>();
  for (const h of hosts) if (!byName.has(h.hostname)) byName.set(h.hostname, h); // the first, as find would
  const hostOf = (s: Server) => byName.get(serverHostname(s))!;
  const phases: ProcedurePhase[] = [];
  phases.push({ id: 'prepare', title: 'Prepare every host', items: [{ kind: 'check-all', id: 'check-all', where: 'all hosts', hosts: hosts.map((h) => h.hostname) }] });
  phases.push({ id: 'pbx', title: 'Install the main PBX', items: [runHostItem(pbx), { kind: 'portal-wizard', id: 'wizard', where: 'portal', url: `https://${pbxAddress}:8887`, privateIp: pbxAddress, publicIp: pbxHost.publicIp ?? null }] });

  if (servers.length && expires) phases.push({ id: 'portal', title: 'Register the servers in the web portal', items: portalItems(spec, servers) });
  const clusterHosts = servers.filter((s) => isPortalRole(s.role)).map(hostOf);
  if (clusterHosts.length) phases.push({ id: 'cluster', title: 'Install the cluster servers', items: clusterHosts.map(runHostItem) });
  for (const s of servers.filter((x) => x.role === 'im')) {
    phases.push({ id: 'im', title: 'Install the IM server', items: [{ kind: 'portal-im-token', id: 'im-token', where: 'portal', hostname: serverHostname(s), ref: s.tokenRef! }, runHostItem(hostOf(s))] });
  }
  for (const s of servers.filter((x) => x.role === 'dataflow')) {
    phases.push({ id: 'dataflow', title: 'Install the Data Flow server', items: [{ kind: 'portal-dataflow-token', id: 'dataflow-token', where: 'portal' }, runHostItem(hostOf(s))] });
  }
  const sbcServers = servers.filter((s) => s.role === 'sbc');
  if (sbcServers.length) {
    phases.push({
      id: 'sbc',
      title: 'Install and configure the SBC',
      items: [
        ...sbcServers.map((s) => runHostItem(hostOf(s))),
        { kind: 'portal-sbc', id: 'sbc-portal', where: 'SBC portals', pbxAddress, sbcs: sbcServers.map((s) => ({ hostname: serverHostname(s), privateIp: s.privateIp, publicIp: s.publicIp ?? null })) },
      ],
    });
  }
  if (restartNeeded) {
    const restarts = hosts.flatMap((h) => {
      const ids = h.steps.filter((s) => s.stage === 'restart').map((s) => s.id);
      return ids.length ? [{ kind: 'restart-host' as const, id: `restart-${h.hostname}`, where: h.hostname, hostname: h.hostname, what: h.role === 'pbx' ? 'the PBX, then the resource load balancer' : `the ${h.role} service`, stepIds: ids }] : [];
    });
    phases.push({ id: 'restart', title: 'Restart in the documented order', items: restarts });
  }
  phases.push({ id: 'verify', title: 'Verify', items: [verifyItem(servers, `https://${pbxAddress}:8887`, null)] });
  return phases;
}

function decisions(servers: Server[]): Decision[] {
  const out: Decision[] = [
    { id: 'E50', choice: 'The PBX is installed with its private IP (pbx_ctl.sh -a); the public IP, if any, is entered in the setup wizard.' },
  ];
  if (servers.length) {
    out.push({ id: 'E47', choice: 'Server addresses are whitelisted before the servers are installed (the order of the PortSIP guide "Configuring Cluster Servers").' });
    out.push({ id: 'E48', choice: 'First deployment restarts the PBX, then the load balancer, then every server (PortSIP guide "Configuring Cluster Servers"); adding servers later changes the membership fingerprint, which re-arms only the load balancer and the servers; the PBX restart is keyed to the PBX address and image (and can be repeated with install.sh --redo restart-pbx, e.g. after a certificate).' });
  }
  if (servers.some((s) => s.role === 'ivr')) out.push({ id: 'E1', choice: 'The IVR server is installed with -n equal to its portal name (the spec name), never the guide\'s mismatched ivr-server-1.' });
  if (servers.some((s) => s.role === 'dataflow')) out.push({ id: 'E11', choice: 'The Data Flow token is generated in the portal as the guides say, but no script takes it; nothing is passed.' });
  if (servers.some((s) => s.role === 'sbc')) out.push({ id: 'C24', choice: 'SBC hosts are whitelisted but not added as trusted firewall sources on the PBX (the guide trusts cluster, IM and Data Flow hosts only).' });
  return out;
}

/** firewalld gets the network itself: 10.0.0.21/24 becomes 10.0.0.0/24 (the check warns about host bits). */
function networkOf(cidr: string): string {
  const a = new Address4(cidr);
  return `${a.startAddress().correctForm()}/${a.subnetMask}`;
}
