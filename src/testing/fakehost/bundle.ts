// A compiled bundle as the fake host sees it: its plan.json read loosely (step kinds added later
// pass through), a fake host set up to pass each host's preflight, and the vendor calls each
// step kind must make.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHost, type FakeHostOptions, type HostFacts } from './fakehost.js';

export interface SecretRefLike {
  env?: string;
  file?: string;
}

export interface PlanStepLike {
  id: string;
  kind: string;
  stage: string;
  title?: string;
  script?: string;
  args?: string[];
  installer?: string;
  secret?: { flag: string; ref: SecretRefLike; label?: string } | null;
}

export interface PlanHostLike {
  hostname: string;
  role: string;
  script: string;
  preflight: {
    addresses: string[];
    cpus: number | null;
    memoryGb: number | null;
    diskGb: number | null;
    vendorScripts: string[];
    secrets: { label: string; ref: SecretRefLike }[];
  };
  steps: PlanStepLike[];
}

export interface PlanLike {
  cluster: { name: string; topology: string };
  paths: { data: string; scripts: string; haGuide: string };
  hosts: PlanHostLike[];
}

export interface BundleHost {
  plan: PlanLike;
  host: PlanHostLike;
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
    .map((host) => ({ plan, host, script: join(bundleDir, host.script) }))
    .filter((h) => existsSync(h.script));
}

/** The dummy secret the fake host hands a script when its spec names one. */
export const DUMMY_TOKEN = 'fake-im-token-0123456789';

/** Facts under which the host's preflight passes: its addresses, the sizes its spec asks for. */
export function passingFacts(h: BundleHost): Partial<HostFacts> {
  const p = h.host.preflight;
  return {
    hostname: h.host.hostname,
    addresses: p.addresses.length ? [p.addresses[0]!] : ['192.0.2.10'],
    cpus: Math.max(p.cpus ?? 0, 4),
    memoryMib: Math.max(p.memoryGb ?? 0, 8) * 1024,
    diskKib: Math.max(p.diskGb ?? 0, 100) * 1024 * 1024,
  };
}

export interface HostSetup {
  fake: FakeHost;
  /** Environment variables the runs need (a secret named by env). */
  env: Record<string, string>;
}

/** A fresh fake host for one bundle host: facts that pass its preflight, the vendor stand-ins
 * in paths.scripts (and paths.haGuide for HA topologies), and its secrets in place. */
export function setUpHost(h: BundleHost, opts: { facts?: Partial<HostFacts>; token?: string; secrets?: boolean; parent?: string } = {}): HostSetup {
  const fakeOpts: FakeHostOptions = {
    facts: { ...passingFacts(h), ...opts.facts },
    scriptsDir: h.plan.paths.scripts,
    haGuideDir: h.plan.cluster.topology.startsWith('ha') ? h.plan.paths.haGuide : null,
  };
  if (opts.parent !== undefined) fakeOpts.parent = opts.parent;
  const fake = new FakeHost(fakeOpts);
  const env: Record<string, string> = {};
  if (opts.secrets !== false) {
    const token = opts.token ?? DUMMY_TOKEN;
    for (const s of h.host.preflight.secrets) {
      if (s.ref.env !== undefined) env[s.ref.env] = token;
      if (s.ref.file !== undefined) fake.writeFile(s.ref.file, token + '\n', 0o600);
    }
  }
  return { fake, env };
}

/** What a step hands its vendor script (script name first); null when the fake host does not
 * know the step kind, [] when the step calls no vendor script. */
export function expectedCalls(step: PlanStepLike, token: string): string[][] | null {
  switch (step.kind) {
    case 'docker':
      return [[step.installer!]];
    case 'vendor-run':
      return [[step.script!, 'run', ...step.args!, ...(step.secret ? [step.secret.flag, token] : [])]];
    case 'vendor-restart':
      return [[step.script!, 'restart', ...step.args!]];
    case 'dir':
    case 'trust-source':
    case 'firewall-reload':
      return [];
    default:
      return null;
  }
}

export interface ExpectedStage {
  calls: string[][];
  unknownKinds: string[]; // steps of kinds expectedCalls does not know
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
