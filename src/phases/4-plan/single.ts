// Topologies T1 and T2 (domain §1.1–1.2): a single main PBX, optionally with cluster servers,
// IM, Data Flow and SBC, every command run locally on its own host (CL-CFG).
import { serverHostname } from '../../model/hosts.js';
import type { Decision, HostStep, PlanHost, TopologyPlan, ProcedurePhase, Topology } from '../../model/plan.js';
import { CLUSTER_ROLES, CONTAINERS, ROLE_ORDER, VENDOR_SCRIPTS, isPortalRole } from '../../model/roles.js';
import type { Server, Spec } from '../../model/spec.js';
import { LOCAL_HOST, portalItems, preflight, runHostItem, scriptPath, verifyItem } from './common.js';
import { fingerprint } from './fingerprint.js';
import { Address4 } from 'ip-address';
import type { PlanBase } from './plan.js';

/** Roles whose hosts the main PBX trusts in firewalld (C24: cluster roles, IM, Data Flow). */
const TRUSTED_ROLES = new Set(['media', 'queue', 'meeting', 'ivr', 'im', 'dataflow']);

export function orderedServers(spec: Spec): Server[] {
  const servers = spec.servers ?? [];
  return ROLE_ORDER.flatMap((role) => servers.filter((s) => s.role === role));
}

function dockerStep(): HostStep {
  return {
    id: 'docker',
    title: 'Docker Engine, Compose plugin and firewalld installed',
    stage: 'install',
    source: 'PBX-INST, CL-PREP; domain §7 "Docker installed"',
    kind: 'docker',
    installer: VENDOR_SCRIPTS.docker,
  };
}

export function planSingle(spec: Spec, base: PlanBase): TopologyPlan {
  const pbxHost = spec.pbx.host!; // schema: required with mode single
  const servers = orderedServers(spec);
  const { data } = base.paths;
  const image = base.release.pbxImage;
  // E50: the guides disagree on the PBX -a address; cluster servers point -x at the private IP (CL-CFG),
  // so the PBX is installed on its private IP as well and the public IP goes into the wizard only.
  const pbxAddress = pbxHost.privateIp;
  const topology: Topology = servers.some((s) => isPortalRole(s.role) || s.role === 'im') ? 'cluster' : 'standalone';
  const membership = fingerprint({ pbxAddress, image, servers: servers.map((s) => [s.role, s.name, s.privateIp, s.publicIp ?? null]) });
  const restartNeeded = servers.some((s) => s.role !== 'sbc');

  // ---- main PBX -------------------------------------------------------------------------
  const pbxSteps: HostStep[] = [dockerStep()];
  if (pbxHost.recordingsPath) {
    pbxSteps.push({ id: 'recordings-dir', title: `recordings directory ${pbxHost.recordingsPath} exists`, stage: 'install', source: 'pbx_ctl.sh -f must exist [C11]', kind: 'dir', path: pbxHost.recordingsPath });
  }
  const pbxArgs = ['-p', data, '-a', pbxAddress, '-i', image];
  if (base.release.postgresImage) pbxArgs.push('-d', base.release.postgresImage);
  if (pbxHost.recordingsPath) pbxArgs.push('-f', pbxHost.recordingsPath);
  pbxSteps.push({
    id: 'pbx',
    title: 'PortSIP PBX installed',
    stage: 'install',
    source: 'PBX-INST; domain §2.1',
    kind: 'vendor-run',
    script: VENDOR_SCRIPTS.pbx,
    args: pbxArgs,
    container: CONTAINERS.pbx,
    secret: null,
    startArgs: [],
  });
  const trusted = spec.firewall?.trustedSources === 'subnet' && spec.firewall.subnet
    ? (servers.some((s) => TRUSTED_ROLES.has(s.role)) ? [networkOf(spec.firewall.subnet)] : [])
    : servers.filter((s) => TRUSTED_ROLES.has(s.role)).map((s) => s.privateIp);
  for (const source of trusted) {
    pbxSteps.push({ id: `trust-${source.replace('/', '_')}`, title: `firewalld trusts ${source} (permanent)`, stage: 'install', source: 'CL-CFG [C24]', kind: 'trust-source', address: source });
  }
  if (trusted.length) {
    pbxSteps.push({ id: 'firewall-reload', title: 'firewalld runtime matches the permanent trusted sources', stage: 'install', source: 'CL-CFG [C24]', kind: 'firewall-reload', sources: trusted });
  }
  if (restartNeeded) {
    pbxSteps.push(restart('restart-pbx', 'PBX restarted after the cluster was configured', VENDOR_SCRIPTS.pbx, [], membership));
    pbxSteps.push(restart('restart-loadbalancer', 'resource load balancer restarted', VENDOR_SCRIPTS.pbx, ['-s', 'loadbalancer'], membership));
  }
  const hosts: PlanHost[] = [
    {
      hostname: pbxHost.hostname,
      role: 'pbx',
      serverName: null,
      privateIp: pbxHost.privateIp,
      publicIp: pbxHost.publicIp ?? null,
      script: scriptPath(pbxHost.hostname),
      ...LOCAL_HOST,
      preflight: preflight([pbxHost.privateIp, pbxHost.publicIp], pbxHost.hardware ?? spec.pbx.hardware, { vendorScripts: [VENDOR_SCRIPTS.docker, VENDOR_SCRIPTS.pbx] }),
      steps: pbxSteps,
    },
  ];

  // ---- extended servers ---------------------------------------------------------------------
  for (const s of servers) hosts.push(serverHost(s, { data, image, pbxAddress, membership, base }));

  const plan: TopologyPlan = {
    ...base,
    cluster: { ...base.cluster, topology, pbxAddress, portalUrl: `https://${pbxAddress}:8887` },
    hosts,
    procedure: procedure(spec, hosts, servers, pbxAddress, pbxHost.publicIp ?? null, restartNeeded, base.whitelistExpires),
    decisions: decisions(servers),
  };
  return plan;
}

function restart(id: string, title: string, script: string, args: string[], membership: string): HostStep {
  return { id, title, stage: 'restart', source: 'CL-CFG restart order (domain §5.5)', kind: 'vendor-restart', script, args, marker: `${id}.done`, fingerprint: membership };
}

interface ServerCtx {
  data: string;
  image: string;
  pbxAddress: string;
  membership: string;
  base: PlanBase;
}

function serverHost(s: Server, c: ServerCtx): PlanHost {
  const hostname = serverHostname(s);
  const steps: HostStep[] = [dockerStep()];
  const scripts: string[] = [VENDOR_SCRIPTS.docker];
  const secrets: PlanHost['preflight']['secrets'] = [];
  const common = { stage: 'install' as const, kind: 'vendor-run' as const };
  if (isPortalRole(s.role)) {
    const facts = CLUSTER_ROLES[s.role];
    scripts.push(VENDOR_SCRIPTS.cluster);
    steps.push({
      ...common,
      id: facts.serviceType.replace(/-only$/, ''),
      title: `${facts.label} server "${s.name}" installed`,
      source: 'CL-CFG; domain §2.3 (all of -p -a -x -i -s -n) [C13, C14]',
      script: VENDOR_SCRIPTS.cluster,
      args: ['-p', c.data, '-a', s.privateIp, '-x', c.pbxAddress, '-i', c.image, '-s', facts.serviceType, '-n', s.name],
      container: facts.container,
      secret: null,
      startArgs: ['-s', facts.serviceType],
    });
    steps.push(restart(`restart-${facts.serviceType.replace(/-only$/, '')}`, `${facts.label} server restarted after the PBX`, VENDOR_SCRIPTS.cluster, ['-s', facts.serviceType], c.membership));
  } else if (s.role === 'im') {
    scripts.push(VENDOR_SCRIPTS.im);
    const ref = s.tokenRef!; // schema: required on im
    const label = 'IM token';
    secrets.push({ label, ref });
    if (s.chatFilesPath) {
      steps.push({ id: 'chat-files-dir', title: `chat-file directory ${s.chatFilesPath} exists`, stage: 'install', source: 'im_ctl.sh -f must exist [C11]', kind: 'dir', path: s.chatFilesPath });
    }
    const args = ['-E', '-p', c.data];
    if (s.chatFilesPath) args.push('-f', s.chatFilesPath);
    args.push('-a', s.privateIp);
    if (s.publicIp) args.push('-A', s.publicIp);
    args.push('-i', c.image, '-x', c.pbxAddress);
    if (c.base.release.postgresImage) args.push('-d', c.base.release.postgresImage);
    steps.push({ ...common, id: 'im', title: `IM server "${s.name}" installed (extended mode)`, source: 'CL-CFG, IM-INST; domain §2.4 [C13]', script: VENDOR_SCRIPTS.im, args, container: CONTAINERS.im, secret: { flag: '-t', ref, label }, startArgs: [] });
    steps.push(restart('restart-im', 'IM server restarted after the PBX', VENDOR_SCRIPTS.im, [], c.membership));
  } else if (s.role === 'dataflow') {
    scripts.push(VENDOR_SCRIPTS.dataflow);
    const args = ['-p', c.data, '-a', s.privateIp];
    if (s.publicIp) args.push('-A', s.publicIp);
    args.push('-i', c.image, '-x', c.pbxAddress, '-d', c.base.release.clickhouseImage!);
    steps.push({ ...common, id: 'dataflow', title: `Data Flow server "${s.name}" installed`, source: 'CL-CFG, DF-INST; domain §2.5 [C13]', script: VENDOR_SCRIPTS.dataflow, args, container: CONTAINERS.dataflow, secret: null, startArgs: [] });
    steps.push(restart('restart-dataflow', 'Data Flow server restarted after the PBX', VENDOR_SCRIPTS.dataflow, [], c.membership));
  } else {
    scripts.push(VENDOR_SCRIPTS.sbc);
    steps.push({ ...common, id: 'sbc', title: `SBC "${s.name}" installed`, source: 'SBC-INST; domain §2.6 (-p and -i both required) [C13]', script: VENDOR_SCRIPTS.sbc, args: ['-p', c.data, '-i', c.base.release.sbcImage!], container: CONTAINERS.sbc, secret: null, startArgs: [] });
  }
  return {
    hostname,
    role: s.role,
    serverName: isPortalRole(s.role) ? s.name : null,
    privateIp: s.privateIp,
    publicIp: s.publicIp ?? null,
    script: scriptPath(hostname),
    ...LOCAL_HOST,
    preflight: preflight([s.privateIp, s.publicIp], s.hardware, { vendorScripts: scripts, secrets }),
    steps,
  };
}

function procedure(spec: Spec, hosts: PlanHost[], servers: Server[], pbxAddress: string, pbxPublic: string | null, restartNeeded: boolean, expires: string | null): ProcedurePhase[] {
  const pbx = hosts[0]!;
  const hostOf = (s: Server) => hosts.find((h) => h.hostname === serverHostname(s))!;
  const phases: ProcedurePhase[] = [];
  phases.push({ id: 'prepare', title: 'Prepare every host', items: [{ kind: 'check-all', id: 'check-all', where: 'all hosts', hosts: hosts.map((h) => h.hostname) }] });
  phases.push({ id: 'pbx', title: 'Install the main PBX', items: [runHostItem(pbx), { kind: 'portal-wizard', id: 'wizard', where: 'portal', url: `https://${pbxAddress}:8887`, privateIp: pbxAddress, publicIp: pbxPublic }] });

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
  const verify = verifyItem(servers);
  if (verify) phases.push({ id: 'verify', title: 'Verify', items: [verify] });
  return phases;
}

function decisions(servers: Server[]): Decision[] {
  const out: Decision[] = [
    { id: 'E50', choice: 'The PBX is installed with its private IP (pbx_ctl.sh -a); the public IP, if any, is entered in the setup wizard.' },
  ];
  if (servers.length) {
    out.push({ id: 'E47', choice: 'Server addresses are whitelisted before the servers are installed (CL-CFG order).' });
    out.push({ id: 'E48', choice: 'First deployment restarts the PBX, then the load balancer, then every server (CL-CFG); adding servers later only changes the membership fingerprint, which re-arms the same restarts.' });
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
