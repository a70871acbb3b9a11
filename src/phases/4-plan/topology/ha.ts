// Pass 2 for topologies T3 and T4 (domain §1.3–1.4): three PBX nodes under Pacemaker; after host
// preparation everything runs on the control node pbx01 (node 1), whichever node is active,
// and reaches the other hosts over password-less SSH (C20, C35).
import type { YamlPath } from '../../../diagnostics/diagnostic.js';
import { serverHostname } from '../../../model/hosts.js';
import type { Decision, DraftStep, HostFile, PlanHost, ProcedureItem, ProcedurePhase } from '../../../model/plan.js';
import { CLUSTER_ROLES, CONTAINERS, isPortalRole } from '../../../model/roles.js';
import type { PbxNode, Server, Spec } from '../../../model/spec.js';
import type { BasePlan } from '../base.js';
import { haCall } from '../calls.js';
import { fingerprint } from '../fingerprint.js';
import { portalItems, preflight, runHostItem, scriptPath, verifyItem, type DraftHost, type TopologyPass } from './common.js';
import { fromScripts, guide } from '../../../model/guides.js';

/** HA vendor scripts (domain §0): they live in the unpacked HA package on pbx01. */
const HA = {
  deps: 'install_dependencies.sh',
  deploy: 'deploy_pbx.sh',
  ctl: 'ha_ctl.sh',
  extend: 'extend.sh',
  im: 'im.sh',
  dataflow: 'dataflow.sh',
  sbc: 'sbc.sh',
} as const;

/** HA minimum per node (OP-INST, AWS-INST) [C27]; the spec's hardware wins when larger. */
const NODE_FLOOR = { cpus: 4, memoryGb: 4 };

/**
 * pbx_datapath_size: the guide leaves headroom below the disk size (36G of 40 GB, 490G of
 * 500 GB, C17). 2 % with at least 4 GB reproduces both documented examples.
 */
export function dataPathSize(diskGb: number): string {
  return `${diskGb - Math.max(4, Math.ceil(diskGb * 0.02))}G`;
}

function haVars(spec: Spec, nodes: PbxNode[], image: string): HostFile {
  const entries: { key: string; value: string }[] = [];
  if (spec.platform === 'aws') {
    // AWS-INST: the v22 file has no VIP; Pacemaker moves the Elastic IP and the EBS volume.
    nodes.forEach((n, i) => entries.push({ key: `pbx0${i + 1}_instance_id`, value: n.instanceId ?? '' }));
    entries.push({ key: 'eip_allocation_id', value: spec.aws!.eipAllocationId });
    entries.push({ key: 'ebs_volume_id', value: spec.aws!.ebsVolumeId });
    entries.push({ key: 'pbx_image', value: image });
    entries.push({ key: 'ssh_private_key_file', value: spec.aws!.sshKeyFile });
  } else {
    nodes.forEach((n, i) => entries.push({ key: `pbx0${i + 1}_hostname`, value: n.hostname }));
    nodes.forEach((n, i) => entries.push({ key: `pbx0${i + 1}_private_ip`, value: n.privateIp }));
    entries.push({ key: 'vip', value: spec.pbx.virtualIp! });
    entries.push({ key: 'pbx_image', value: image });
    entries.push({ key: 'pbx_datapath_disk', value: spec.pbx.dataDisk!.device });
    entries.push({ key: 'pbx_datapath_size', value: dataPathSize(spec.pbx.dataDisk!.sizeGb) });
  }
  return { name: 'vars.yml', kind: 'ha-vars', entries };
}

export function planHa(spec: Spec, base: BasePlan): TopologyPass {
  const aws = spec.platform === 'aws';
  const nodes = spec.pbx.nodes!; // schema + checks: exactly three
  const account = spec.sshUser!; // checks: required for HA (C6)
  const placed = base.servers;
  const servers = placed.map((p) => p.server);
  const { data, haGuide } = base.head.paths;
  const { release } = base.head;
  const image = release.pbxImage;
  const nodePath = (i: number): YamlPath => ['pbx', 'nodes', i];
  const pbxOrigin = base.origin(['pbx']);
  // The address clients and the portal use: the VIP on premises, the Elastic IP on AWS (E30, E31).
  const pbxAddress = aws ? spec.pbx.publicIp! : spec.pbx.virtualIp!;
  const vars = haVars(spec, nodes, image);
  const varsPrint = fingerprint(vars.entries);
  const varsOrigin = aws ? [...base.origin(['aws']), ...base.origin(['release', 'pbxImage'])] : [...base.origin(['pbx', 'nodes'], ['pbx', 'virtualIp'], ['pbx', 'dataDisk']), ...base.origin(['release', 'pbxImage'])];
  const hostsEntries: DraftStep[] = nodes.map((n, i) => ({
    id: `hosts-${n.hostname}`,
    title: `/etc/hosts maps ${n.hostname} to ${n.privateIp}`,
    stage: 'install',
    source: guide('OP-INST', 'node names resolve on every node') /* C18 */,
    origin: base.origin(nodePath(i)),
    calls: [],
    kind: 'hosts-entry',
    address: n.privateIp,
    name: n.hostname,
  }));
  const nodeHw = (n: PbxNode) => {
    const hw = n.hardware ?? spec.pbx.hardware;
    return { cpus: Math.max(hw?.cpus ?? 0, NODE_FLOOR.cpus), memoryGb: Math.max(hw?.memoryGb ?? 0, NODE_FLOOR.memoryGb), ...(hw?.diskGb ? { diskGb: hw.diskGb } : {}) };
  };
  const nodeExtras = (isControl: boolean) => ({
    account,
    dataDisk: aws ? null : spec.pbx.dataDisk!,
    awsRegion: aws ? spec.aws!.region : null,
    sshKeyFile: aws && isControl ? spec.aws!.sshKeyFile : null,
    haScripts: isControl ? Object.values(HA).filter((s) => s !== HA.im || servers.some((x) => x.role === 'im')) : [],
  });

  // ---- pbx01: the control node ----------------------------------------------------------------
  const control = nodes[0]!;
  const steps: DraftStep[] = [...hostsEntries];
  const everyHost = [
    ...nodes.map((n, i) => ({ name: n.hostname, address: n.privateIp, path: nodePath(i) })),
    ...placed.map((p) => ({ name: serverHostname(p.server), address: p.server.privateIp, path: p.path })),
  ];
  if (!aws) {
    steps.push({ id: 'ssh-key', title: `SSH key pair of ${account} exists`, stage: 'install', source: guide('OP-INST', 'ssh-keygen, empty passphrase'), origin: base.origin(['sshUser']), calls: [], kind: 'ssh-key' });
    for (const h of everyHost) {
      steps.push({ id: `ssh-${h.name}`, title: `password-less SSH to ${account}@${h.address} (${h.name})`, stage: 'install', source: guide(['OP-INST', 'OP-SCALE'], 'ssh-copy-id') /* C35 */, origin: [...base.origin(h.path), ...base.origin(['sshUser'])], calls: [], kind: 'ssh-access', target: h.name, address: h.address });
    }
  }
  steps.push({ id: 'ha-vars', title: `${haGuide}/res/vars.yml matches the bundle`, stage: 'install', source: aws ? guide('AWS-INST', 'vars.yml keys') : guide('OP-INST', 'vars.yml keys'), origin: varsOrigin, calls: [], kind: 'file-sync', file: 'vars.yml', target: `${haGuide}/res/vars.yml` });
  steps.push({ id: 'ha-dependencies', title: 'HA dependencies installed on the three nodes', stage: 'install', source: guide(['OP-INST', 'AWS-INST'], 'install_dependencies.sh'), origin: varsOrigin, calls: [haCall('action', HA.deps, null, [])], kind: 'ha-once', marker: 'ha-dependencies.done', fingerprint: varsPrint });
  if (!aws) {
    // OP-INST reboots pbx03, then pbx02, then pbx01; AWS documents no reboot.
    for (const [i, n] of [...nodes.entries()].slice(1).reverse()) {
      steps.push({ id: `reboot-${n.hostname}`, title: `${n.hostname} rebooted after the HA dependencies`, stage: 'install', source: guide('OP-INST', 'reboot order pbx03, pbx02, pbx01'), origin: base.origin(nodePath(i)), calls: [], kind: 'reboot-node', node: n.hostname, address: n.privateIp, marker: `reboot-${n.hostname}.done`, fingerprint: varsPrint });
    }
    steps.push({ id: `reboot-${control.hostname}`, title: `${control.hostname} rebooted after the HA dependencies`, stage: 'install', source: guide('OP-INST', 'reboot order pbx03, pbx02, pbx01'), origin: base.origin(nodePath(0)), calls: [], kind: 'reboot-self', marker: `reboot-${control.hostname}.pending`, fingerprint: varsPrint });
  }
  steps.push({
    id: 'ha-deploy',
    title: 'PBX deployed under Pacemaker (HA status shows pbx Started)',
    stage: 'install',
    source: aws ? guide('AWS-INST', 'deploy_pbx.sh') : guide('OP-INST', 'deploy_pbx.sh'),
    origin: [...pbxOrigin, ...base.origin(['release', 'pbxImage'])],
    calls: [haCall('action', HA.deploy, null, [], [image]), haCall('probe', HA.ctl, aws ? 'show' : 'status', [])],
    kind: 'ha-deploy',
  });

  if (servers.length) {
    steps.push({
      id: 'portal-ready',
      title: 'web portal: wizard, call recovery, whitelist and servers done (RUNBOOK phase 3)',
      stage: 'install',
      source: guide(['OP-INST', 'OP-SCALE'], 'servers must exist in the portal before extend.sh runs'),
      origin: [...base.origin(['servers']), ...base.origin(['whitelist'], ['portal'])],
      calls: [],
      kind: 'checkpoint',
      prompt: 'Have you completed the web portal steps of the runbook (setup wizard, Call Recovery, whitelist, default servers off, every server added)?',
      confirmFile: 'portal-done',
      marker: 'portal-ready.done',
      fingerprint: fingerprint(portalItems(spec, servers)),
    });
  }
  const extend = (id: string, title: string, source: string, origin: DraftStep['origin'], script: string, args: string[], container: string, targets: string[], pulls: string[]): DraftStep => ({
    id,
    title,
    stage: 'install',
    source,
    origin,
    calls: [haCall('action', script, 'run', args, pulls)],
    kind: 'ha-extend',
    container,
    targets,
    marker: `${id}.done`,
    fingerprint: fingerprint([script, args]),
  });
  for (const p of placed.filter((x) => isPortalRole(x.server.role))) {
    const s = p.server;
    const facts = CLUSTER_ROLES[s.role as keyof typeof CLUSTER_ROLES];
    steps.push(extend(`extend-${serverHostname(s)}`, `${facts.label} server "${s.name}" deployed on ${s.privateIp}`, aws ? guide('AWS-SCALE', 'extend.sh run -s -n -a') /* C10, C20 */ : guide('OP-SCALE', 'extend.sh run -s -n -a') /* C10, C20 */, base.origin(p.path), HA.extend, ['-s', facts.serviceType, '-n', s.name, '-a', s.privateIp], facts.container, [s.privateIp], [image]));
  }
  for (const p of placed.filter((x) => x.server.role === 'im')) {
    const s = p.server;
    const args = ['-a', s.privateIp];
    if (s.publicIp) args.push('-A', s.publicIp);
    if (s.chatFilesPath) args.push('-f', s.chatFilesPath);
    steps.push(extend('im', `IM server "${s.name}" deployed on ${s.privateIp}`, aws ? guide('AWS-IM', 'im.sh run') : guide('OP-IM', 'im.sh run'), base.origin(p.path), HA.im, args, CONTAINERS.im, [s.privateIp], [image]));
  }
  for (const p of placed.filter((x) => x.server.role === 'dataflow')) {
    const s = p.server;
    // E10: -i is called required but the examples omit it; both images are passed so the bundle pins them.
    const args = ['-p', data, '-a', s.privateIp];
    if (s.publicIp) args.push('-A', s.publicIp);
    args.push('-d', release.clickhouseImage!, '-i', image);
    steps.push(extend('dataflow', `Data Flow server "${s.name}" deployed on ${s.privateIp}`, aws ? guide('AWS-DF', 'dataflow.sh run') : guide('OP-DF', 'dataflow.sh run'), base.origin(p.path), HA.dataflow, args, CONTAINERS.dataflow, [s.privateIp], [image, release.clickhouseImage!]));
  }
  const sbcs = placed.filter((x) => x.server.role === 'sbc');
  if (sbcs.length) {
    const ips = sbcs.map((p) => p.server.privateIp);
    steps.push(extend('sbc', `SBC cluster deployed on ${ips.join(', ')}`, aws ? guide('AWS-SBC', 'sbc.sh run -a LIST -i') : guide('OP-SBC', 'sbc.sh run -a LIST -i'), sbcs.flatMap((p) => base.origin(p.path)), HA.sbc, ['-a', ips.join(','), '-i', release.sbcImage!], CONTAINERS.sbc, ips, [release.sbcImage!]));
  }

  const hosts: DraftHost[] = nodes.map((n, i) => ({
    hostname: n.hostname,
    role: 'pbx' as const,
    serverName: null,
    privateIp: n.privateIp,
    publicIp: n.publicIp ?? null,
    script: scriptPath(n.hostname),
    haAccount: account,
    deployedFrom: i === 0 ? null : control.hostname,
    preflight: preflight([n.privateIp, n.publicIp], nodeHw(n), { ...nodeExtras(i === 0), hostname: n.hostname, instanceId: aws ? (n.instanceId ?? null) : null }),
    steps: i === 0 ? steps : hostsEntries,
    files: i === 0 ? [vars] : [],
    origin: base.origin(nodePath(i)),
  }));
  for (const p of placed) {
    const s = p.server;
    const own: DraftStep[] = [];
    if (s.role === 'im' && s.chatFilesPath) {
      // im_ctl.sh requires -f to exist [C11]; the IM host is prepared here, deployed from pbx01.
      own.push({ id: 'chat-files-dir', title: `chat-file directory ${s.chatFilesPath} exists`, stage: 'install', source: fromScripts('im_ctl.sh -f names a directory that must exist') /* C11 */, origin: base.origin([...p.path, 'chatFilesPath']), calls: [], kind: 'dir', path: s.chatFilesPath });
    }
    hosts.push({
      hostname: serverHostname(s),
      role: s.role,
      serverName: isPortalRole(s.role) ? s.name : null,
      privateIp: s.privateIp,
      publicIp: s.publicIp ?? null,
      script: scriptPath(serverHostname(s)),
      haAccount: account,
      deployedFrom: control.hostname,
      preflight: preflight([s.privateIp, s.publicIp], s.hardware, { account, awsRegion: null, instanceId: aws ? (s.instanceId ?? null) : null }),
      steps: own,
      files: [],
      origin: base.origin(p.path),
    });
  }

  return {
    cluster: { ...base.cluster, topology: aws ? 'ha-aws' : 'ha-onprem', pbxAddress, portalUrl: `https://${pbxAddress}:8887` },
    hosts,
    decisions: decisions(spec, servers),
  };
}

/** The runbook of an HA topology, from the final hosts (every pass's steps included). */
export function procedureHa(spec: Spec, base: BasePlan, hosts: PlanHost[]): ProcedurePhase[] {
  const aws = spec.platform === 'aws';
  const servers = base.servers.map((p) => p.server);
  const haDir = base.head.paths.haGuide;
  const pbxAddress = aws ? spec.pbx.publicIp! : spec.pbx.virtualIp!;
  const control = hosts[0]!;
  const nodes = hosts.filter((h) => h.role === 'pbx');
  const phases: ProcedurePhase[] = [];
  const prepare: ProcedureItem[] = [];
  if (aws) prepare.push({ kind: 'aws-cli', id: 'aws-cli', where: 'each PBX node', hosts: nodes.map((h) => h.hostname), region: spec.aws!.region });
  prepare.push({ kind: 'check-all', id: 'check-all', where: 'all hosts', hosts: hosts.map((h) => h.hostname) });
  for (const n of nodes.slice(1)) {
    prepare.push(runHostItem(n));
  }
  for (const h of hosts.filter((x) => x.role !== 'pbx' && x.steps.length)) {
    prepare.push(runHostItem(h));
  }
  phases.push({ id: 'prepare', title: 'Prepare every host', items: prepare });

  const all = control.steps.map((s) => s.id);
  const cut = all.indexOf('portal-ready');
  const first = cut === -1 ? all : all.slice(0, cut);
  phases.push({
    id: 'ha',
    title: `Deploy the HA cluster from ${control.hostname}`,
    items: [
      {
        kind: 'run-control',
        id: 'run-control-ha',
        where: control.hostname,
        hostname: control.hostname,
        stepIds: first,
        stopsAt: cut === -1 ? null : 'portal-ready',
        note: aws ? '' : `The script reboots pbx03 and pbx02 itself, then reboots ${control.hostname} and stops (exit code 6): log in again and run it once more; it resumes after the reboot.`,
      },
      { kind: 'portal-wizard', id: 'wizard', where: 'portal', url: `https://${pbxAddress}:8887`, privateIp: aws ? pbxAddress : spec.pbx.virtualIp!, publicIp: spec.pbx.publicIp ?? null },
      { kind: 'portal-call-recovery', id: 'call-recovery', where: 'portal' },
    ],
  });
  if (servers.length) {
    const items: ProcedureItem[] = [];
    if (aws) items.push({ kind: 'aws-console', id: 'security-group', where: 'AWS console', region: spec.aws!.region, securityGroupId: spec.aws!.securityGroupId, sources: servers.flatMap((s) => (s.publicIp ? [{ ip: s.publicIp, host: serverHostname(s) }] : [])), subnetCidr: spec.aws!.subnetCidr });
    items.push(...portalItems(spec, servers));
    for (const s of servers.filter((x) => x.role === 'im')) items.push({ kind: 'portal-im-token', id: 'im-token', where: 'portal', hostname: serverHostname(s), ref: null });
    if (servers.some((x) => x.role === 'dataflow')) items.push({ kind: 'portal-dataflow-token', id: 'dataflow-token', where: 'portal' });
    phases.push({ id: 'portal', title: 'Register the servers in the web portal', items });
    phases.push({
      id: 'extend',
      title: `Deploy the extended servers from ${control.hostname}`,
      items: [{ kind: 'run-control', id: 'run-control-extend', where: control.hostname, hostname: control.hostname, stepIds: all.slice(cut), stopsAt: null, note: `The script first asks you to confirm that the portal steps are done: answer y on a terminal, or run it with --portal-done, or create /var/lib/pbxplan/${base.cluster.name}/portal-done beforehand (--yes never confirms it). Unconfirmed, it stops there with exit code 5 and changes nothing further. Order: media, queue, meeting and IVR servers, then IM, Data Flow and the SBCs, as the scaling guide orders them. Each deployment takes minutes: do not interrupt it or reboot a server meanwhile.` }],
    });
    const sbcs = servers.filter((x) => x.role === 'sbc');
    if (sbcs.length) {
      phases.push({ id: 'sbc', title: 'Configure the SBC cluster', items: [{ kind: 'portal-sbc', id: 'sbc-portal', where: 'SBC portals', pbxAddress, sbcs: sbcs.map((x) => ({ hostname: serverHostname(x), privateIp: x.privateIp, publicIp: x.publicIp ?? null })) }] });
    }
  }
  phases.push({ id: 'verify', title: 'Verify', items: [verifyItem(servers, `https://${pbxAddress}:8887`, aws ? 'aws' : 'onprem')] });
  phases.push({
    id: 'operations',
    title: 'Operations appendix',
    items: [
      {
        kind: 'ha-operations',
        id: 'operations',
        where: control.hostname,
        hostname: control.hostname,
        haDir,
        statusCommand: aws ? 'show' : 'status',
        account: control.haAccount!,
        servers: servers.flatMap((s) => (isPortalRole(s.role) ? [{ type: CLUSTER_ROLES[s.role].serviceType, name: s.name, address: s.privateIp }] : [])),
        im: servers.some((s) => s.role === 'im'),
        dataflow: servers.some((s) => s.role === 'dataflow'),
        sbcAddresses: servers.filter((s) => s.role === 'sbc').map((s) => s.privateIp).join(','),
      },
    ],
  });
  return phases;
}

function decisions(spec: Spec, servers: Server[]): Decision[] {
  const aws = spec.platform === 'aws';
  const out: Decision[] = [
    { id: 'C20', choice: 'Every HA command after host preparation runs on pbx01 (node 1), whichever node is active; the other nodes and the extended servers get preparation-only scripts.' },
    { id: 'E46', choice: 'Order: HA deploy, then media/queue/meeting/IVR servers, then IM, Data Flow and SBC (the order of the guide "Scaling Servers On-Premise for High Availability", not the shortcut of "High Availability Installations on Ubuntu").' },
    { id: 'E3', choice: 'IVR servers are always type vr-server-only (install and management); the guides\' ivr-server-only is rejected by the vendor script.' },
  ];
  if (!aws) out.push({ id: 'C17', choice: `pbx_datapath_size leaves 2 % (at least 4 GB) of the data disk free: ${dataPathSize(spec.pbx.dataDisk!.sizeGb)} of ${spec.pbx.dataDisk!.sizeGb} GB, matching the guide's 36G of 40 GB and 490G of 500 GB.` });
  if (aws) {
    out.push({ id: 'E8', choice: `The AWS HA installation guide runs everything as ubuntu, its IM and SBC scaling pages ask for the PBX account on extended servers; the bundle uses the one account sshUser (${spec.sshUser}) on every host, since the HA scripts reach every host with one key pair.` });
    out.push({ id: 'E31', choice: 'AWS has no VIP in v22: the portal and the wizard use the Elastic IP (pbx.publicIp) for both Private and Public IPv4, as the AWS HA installation guide shows; confirm with PortSIP before go-live.' });
    out.push({ id: 'E32', choice: 'HA status on AWS is ha_ctl.sh show; on premises ha_ctl.sh status.' });
    out.push({ id: 'C23', choice: 'On AWS both the Elastic IP and the private IP of every extended server are whitelisted (the AWS IM and Data Flow scaling pages require it for those servers; it is harmless for the others).' });
  }
  if (servers.some((s) => s.role === 'dataflow')) out.push({ id: 'E10', choice: 'dataflow.sh run gets -d and -i explicitly (the parameter list marks -i required, the examples omit it), so the bundle pins both images.' });
  if (servers.some((s) => s.role === 'im')) out.push({ id: 'E12', choice: 'im.sh run takes no token in the guides; the token is generated in the portal and pasted if im.sh asks for it. pbxplan passes none.' });
  return out;
}
