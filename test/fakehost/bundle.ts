// A compiled bundle as the fake host sees it: its plan.json read loosely (step kinds added later
// pass through), a fake host set up to pass each host's preflight, and the vendor calls each
// step kind must make.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FakeHost, STANDINS, type FakeHostOptions, type HostFacts } from './fakehost.js';

export interface SecretRefLike {
  env?: string;
  file?: string;
}

export interface PlanStepLike {
  id: string;
  kind: string;
  stage: string;
  title?: string;
  /** The vendor invocations the step makes (plan formatVersion 2). */
  calls?: { purpose: string; script: string; subcommand: string | null; argv: string[]; secrets: { index: number }[] }[];
}

export interface PlanHostLike {
  hostname: string;
  role: string;
  privateIp: string;
  script: string;
  preflight: {
    addresses: string[];
    cpus: number | null;
    memoryGb: number | null;
    diskGb: number | null;
    vendorScripts: string[];
    secrets: { label: string; ref: SecretRefLike }[];
    // HA hosts (absent on older plans):
    account?: string | null; // the sudo account HA commands run as
    hostname?: string | null; // the name the host must carry
    dataDisk?: { device: string; sizeGb: number } | null;
    awsRegion?: string | null;
    sshKeyFile?: string | null; // the AWS key pair file
    haScripts?: string[]; // in paths.haGuide
  };
  steps: PlanStepLike[];
}

export interface PlanLike {
  cluster: { name: string; topology: string };
  paths: { data: string; scripts: string; haGuide: string };
  hosts: PlanHostLike[];
  airgap?: { registry: { server: string; username: string } | null; registryMirror: string | null } | null;
}

export interface BundleHost {
  plan: PlanLike;
  host: PlanHostLike;
  /** The bundle's root folder. */
  bundleDir: string;
  /** Absolute path of hosts/<hostname>/install.sh. */
  script: string;
}

export function readPlan(bundleDir: string): PlanLike {
  return JSON.parse(readFileSync(join(bundleDir, 'plan.json'), 'utf8')) as PlanLike;
}

/** Every host of a bundle that has a script, in plan order. */
export function bundleHosts(bundleDir: string): BundleHost[] {
  const plan = readPlan(bundleDir);
  const onDisk = existsSync(join(bundleDir, 'hosts')) ? readdirSync(join(bundleDir, 'hosts')).sort() : [];
  const missing = onDisk.filter((h) => !plan.hosts.some((p) => p.hostname === h));
  if (missing.length) throw new Error(`${bundleDir}: hosts/ has folders plan.json does not name: ${missing.join(', ')}`);
  return plan.hosts
    .map((host) => ({ plan, host, bundleDir, script: join(bundleDir, host.script) }))
    .filter((h) => existsSync(h.script));
}

/** The dummy secret the fake host hands a script when its spec names one. */
export const DUMMY_TOKEN = 'fake-im-token-0123456789';

/** Facts under which the host's preflight passes: its addresses, the sizes its spec asks for. */
export function passingFacts(h: BundleHost): Partial<HostFacts> {
  const p = h.host.preflight;
  return {
    hostname: p.hostname ?? h.host.hostname,
    addresses: p.addresses.length ? [p.addresses[0]!] : ['192.0.2.10'],
    cpus: Math.max(p.cpus ?? 0, 4),
    memoryMib: Math.max(p.memoryGb ?? 0, 8) * 1024,
    diskKib: Math.max(p.diskGb ?? 0, 100) * 1024 * 1024,
    accounts: p.account ? [p.account] : [],
    blockDevices: p.dataDisk ? { [p.dataDisk.device]: p.dataDisk.sizeGb * 1024 ** 3 } : {},
    awsRegion: p.awsRegion ?? null,
  };
}

export interface HostSetup {
  fake: FakeHost;
  /** Environment variables the runs need (a secret named by env). */
  env: Record<string, string>;
  /** The host's install.sh in the bundle copied onto the fake host. */
  script: string;
}

/** Where setUpHost copies the bundle on the fake host (the runbook: copy it to every host). */
export const BUNDLE_ON_HOST = '/root/pbxplan-bundle';

/** Copies the bundle onto the fake host. Bundled PortSIP scripts (artifacts/scripts/, stand-in
 * files in the fixtures) are replaced by the fake host's stand-ins of the same name, and their
 * SHA256SUMS lines updated, so that the vendor-scripts step installs working stand-ins. */
function copyBundle(fake: FakeHost, bundleDir: string): string {
  return copyBundleWithStandIns(bundleDir, fake.hostPath(BUNDLE_ON_HOST));
}

/** Copies a bundle to `dest`, its bundled PortSIP scripts replaced by the stand-ins (see
 * copyBundle); the Ansible runs play from such a copy on the control node. */
export function copyBundleWithStandIns(bundleDir: string, dest: string): string {
  cpSync(bundleDir, dest, { recursive: true });
  const scripts = join(dest, 'artifacts', 'scripts');
  if (!existsSync(scripts)) return dest;
  const sumsFile = join(dest, 'SHA256SUMS');
  let sums = existsSync(sumsFile) ? readFileSync(sumsFile, 'utf8') : '';
  for (const name of readdirSync(scripts)) {
    const ours = ['vendor', 'ha'].map((d) => join(STANDINS, d, name)).find((f) => existsSync(f));
    if (!ours) continue;
    const text = readFileSync(ours);
    writeFileSync(join(scripts, name), text, { mode: 0o755 });
    const rel = relative(dest, join(scripts, name)).split('\\').join('/');
    const hash = createHash('sha256').update(text).digest('hex');
    sums = sums.replace(new RegExp(`^[0-9a-f]{64}  ${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `${hash}  ${rel}`);
  }
  writeFileSync(sumsFile, sums);
  return dest;
}

/** The hosts (host or host:port) of the site registry and mirror the spec names: an offline
 * site still reaches them. */
export function siteHosts(plan: PlanLike): string[] {
  const out: string[] = [];
  if (plan.airgap?.registry) out.push(plan.airgap.registry.server);
  if (plan.airgap?.registryMirror) out.push(plan.airgap.registryMirror.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, ''));
  return out;
}

export interface SetUpOptions {
  facts?: Partial<HostFacts>;
  token?: string;
  secrets?: boolean;
  parent?: string;
  remotes?: boolean;
  /** A site without Internet access: only the spec's registry and mirror answer. */
  offline?: boolean;
}

/** A fresh fake host for one bundle host: facts that pass its preflight, the vendor stand-ins
 * in paths.scripts (and paths.haGuide for HA topologies), and its secrets in place. */
export function setUpHost(h: BundleHost, opts: SetUpOptions = {}): HostSetup {
  const fakeOpts: FakeHostOptions = {
    facts: { ...passingFacts(h), ...opts.facts },
    scriptsDir: h.plan.paths.scripts,
    haGuideDir: h.plan.cluster.topology.startsWith('ha') ? h.plan.paths.haGuide : null,
    // An air-gapped bundle installs the scripts itself (its vendor-scripts step).
    installVendorScripts: !h.host.steps.some((s) => s.kind === 'vendor-scripts'),
    offline: opts.offline === true,
    reachable: siteHosts(h.plan),
  };
  if (opts.parent !== undefined) fakeOpts.parent = opts.parent;
  const fake = new FakeHost(fakeOpts);
  try {
    return prepareHost(h, fake, opts);
  } catch (e) {
    fake.dispose();
    throw e;
  }
}

function prepareHost(h: BundleHost, fake: FakeHost, opts: SetUpOptions): HostSetup {
  if (h.host.preflight.sshKeyFile) fake.addSharedSshKey(h.host.preflight.sshKeyFile);
  if (h.plan.cluster.topology.startsWith('ha') && opts.remotes !== false) {
    // The control node reaches every other host over SSH: each is a fake root of its own.
    fake.addRemoteHosts(h.plan.hosts.filter((o) => o !== h.host).map((o) => ({ address: o.privateIp, hostname: o.preflight.hostname ?? o.hostname })));
  }
  const env: Record<string, string> = {};
  if (opts.secrets !== false) {
    const token = opts.token ?? DUMMY_TOKEN;
    for (const s of h.host.preflight.secrets) {
      if (s.ref.env !== undefined) env[s.ref.env] = token;
      if (s.ref.file !== undefined) fake.writeFile(s.ref.file, token + '\n', 0o600);
    }
  }
  const bundle = copyBundle(fake, h.bundleDir);
  return { fake, env, script: join(bundle, h.host.script) };
}

/** What a step hands its vendor scripts (script name first), as plan.json's `calls` say, with
 * each secret placeholder replaced by the value the fake host supplies; queries and the start of
 * a stopped container left out. null for a step without calls (an older plan). */
export function expectedCalls(step: PlanStepLike, token: string): string[][] | null {
  if (!step.calls) return null;
  return step.calls
    .filter((c) => c.purpose === 'action')
    .map((c) => {
      const argv = [...c.argv];
      for (const x of c.secrets) argv[x.index] = token;
      return [c.script, ...(c.subcommand ? [c.subcommand] : []), ...argv];
    });
}

/** A vendor call that only reads (status and the like): guards may make these. */
export function isQueryCall(call: readonly string[]): boolean {
  const [script, sub] = call;
  if (script === 'ha_ctl.sh') return sub === 'status' || sub === 'show' || sub === 'master';
  return /_ctl\.sh$/.test(script ?? '') && sub === 'status';
}

export interface ExpectedStage {
  calls: string[][];
  unknownKinds: string[]; // steps without calls (an older plan)
}

/** The vendor calls of every step of a stage, in order. */
export function expectedStageCalls(host: PlanHostLike, stage: string, token: string): ExpectedStage {
  const calls: string[][] = [];
  const unknownKinds: string[] = [];
  for (const s of host.steps.filter((s) => s.stage === stage)) {
    const c = expectedCalls(s, token);
    if (c === null) unknownKinds.push(`${s.id} (${s.kind})`);
    else calls.push(...c);
  }
  return { calls, unknownKinds };
}

/** The golden bundles to run: fixtures/<name>/expected holding plan.json and hosts/ (top-level
 * fixtures only; fixtures/errors/ is about diagnostics). */
export function goldenBundles(fixturesDir: string): { name: string; dir: string }[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'errors')
    .map((e) => ({ name: e.name, dir: join(fixturesDir, e.name, 'expected') }))
    .filter((b) => existsSync(join(b.dir, 'plan.json')) && existsSync(join(b.dir, 'hosts')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
