// The air-gap part of the plan: which artifacts a site needs (a pure function of the plan),
// how the artifacts directory is matched, the site registry, and the steps added per host.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile, createToolchain } from '../../index.js';
import type { Plan, PlanHost } from '../../model/plan.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from '../../../test/golden.js';
import { REQUIRED_DEBS, debMatches, imageFileName } from '../../model/artifacts.js';
import type { ArtifactSource } from './index.js';
import { imageNaming } from './base.js';
import { KNOWN_SCRIPTS } from '../../model/artifacts.js';
import { parse } from 'yaml';

const toolchain = createToolchain();
const spec = (name: string) => readFileSync(join(FIXTURES, name, 'spec.yaml'), 'utf8');
const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain };

function planOf(text: string, artifacts?: ArtifactSource): Plan {
  const r = compile(text, { ...opts, host: artifacts ? { artifacts } : {} });
  assert.ok(r.plan, JSON.stringify(r.diagnostics.map((d) => d.message)));
  return r.plan;
}

/** A supplied set holding exactly the named files (relative to the artifacts directory). */
function supplied(paths: string[], allowMissing = false, pins: Record<string, string> = KNOWN_SCRIPTS.sha256): ArtifactSource {
  // A bundled control script is the pinned revision's (its sha256 is checked at compile time).
  return {
    label: 'artifacts',
    allowMissing,
    list: () => [...paths].sort(),
    digest: (p: string) => ({ size: 1, sha256: pins[p.replace(/^scripts\//, '')] ?? '0'.repeat(64) }),
  };
}

/** Every file a plan can use, as if the artifacts directory were complete. */
function everything(plan: Plan): string[] {
  return plan.airgap.artifacts.flatMap((a) => (a.kind === 'debs' ? a.required.map((p) => `debs/${p}_1.0_amd64.deb`) : [a.path.slice('artifacts/'.length)]));
}

/** The artifacts a spec needs when compiled with --artifacts (an empty directory, --allow-missing):
 * with artifacts, the bundled packages replace install_docker.sh, and without a site registry
 * or mirror the bundle's own registry image is needed too. */
const artifactMode = (text: string) => planOf(text, supplied([], true));

const host = (p: Plan, name: string): PlanHost => p.hosts.find((h) => h.hostname === name)!;
const kinds = (h: PlanHost) => h.steps.map((s) => s.kind);

test('the cluster fixture needs each vendor script on the hosts that call it, each image per role, and the debs everywhere', () => {
  const plan = planOf(spec('cluster'));
  const byId = new Map(plan.airgap.artifacts.map((a) => [a.id, a]));
  assert.deepEqual(byId.get('vendor-script:pbx_ctl.sh')?.hosts, ['pbx-main']);
  assert.deepEqual(byId.get('vendor-script:cluster_ctl.sh')?.hosts, ['media-server-1', 'queue-server-1', 'meeting-server-1', 'vr-server-1']);
  assert.equal(byId.get('vendor-script:install_docker.sh')?.hosts.length, plan.hosts.length);
  // The PBX image runs everywhere; PostgreSQL (vendor default, -d absent) on the PBX and IM hosts.
  assert.equal(byId.get('image:portsip/pbx:22')?.hosts.length, plan.hosts.length);
  assert.deepEqual(byId.get('image:portsip/postgresql:14.12')?.hosts, ['pbx-main', 'im-server']);
  assert.deepEqual(byId.get('image:portsip/clickhouse:25.8')?.hosts, ['dataflow']);
  assert.equal(byId.get('image:portsip/pbx:22')?.path, 'artifacts/images/portsip_pbx_22.tar');
  assert.deepEqual(byId.get('debs')?.required, [...REQUIRED_DEBS]);
  assert.ok(plan.airgap.artifacts.every((a) => a.state === 'external' && !a.files.length && !a.missing.length), 'without --artifacts nothing is bundled or missing');
  assert.ok(!plan.airgap.artifacts.some((a) => a.kind === 'ha-package'));
});

test('HA: the vendor HA package is needed on the control node only, in its on-premises or AWS flavour', () => {
  for (const [name, file] of [['ha-onprem', 'portsip-pbx-ha-guide-22-online.tar.gz'], ['ha-aws', 'portsip-pbx-ha-on-aws-guide-22.tar.gz']] as const) {
    const plan = planOf(spec(name));
    const ha = plan.airgap.artifacts.filter((a) => a.kind === 'ha-package');
    assert.deepEqual(ha.map((a) => [a.path, a.hosts]), [[`artifacts/ha/${file}`, [plan.hosts[0]!.hostname]]], name);
    const full = planOf(spec(name), supplied(everything(artifactMode(spec(name)))));
    const control = full.hosts[0]!;
    assert.equal(control.steps[kinds(control).indexOf('ha-package')]?.id, 'ha-package', name);
    assert.deepEqual(control.preflight.haScripts, [], `${name}: the bundle unpacks the HA scripts, so the preflight no longer expects them`);
    assert.ok(full.hosts.slice(1).every((h) => !kinds(h).includes('ha-package')), name);
  }
});

test('a complete artifacts directory adds guarded steps in order: scripts and packages first, the bundle\'s registry and images after', () => {
  const external = planOf(spec('cluster'));
  const plan = planOf(spec('cluster'), supplied(everything(artifactMode(spec('cluster')))));
  const pbx = host(plan, 'pbx-main');
  assert.deepEqual(kinds(pbx).slice(0, 8), ['vendor-scripts', 'debs', 'registry-mirror', 'image-load', 'image-load', 'image-load', 'local-registry', 'vendor-run']);
  assert.ok(!kinds(pbx).includes('docker'), 'the bundled packages install Docker: install_docker.sh is not called');
  const scriptsStep = pbx.steps[0]!;
  assert.ok(scriptsStep.kind === 'vendor-scripts');
  assert.deepEqual(scriptsStep.scripts.map((s) => s.name), ['pbx_ctl.sh']);
  assert.deepEqual(pbx.preflight.vendorScripts, [], 'bundled scripts are installed by the step, not expected beforehand');
  const local = pbx.steps.find((s) => s.kind === 'local-registry');
  assert.ok(local?.kind === 'local-registry');
  assert.deepEqual([local.address, local.seeds], ['127.0.0.1:5000', ['portsip/pbx:22', 'portsip/postgresql:14.12']]);
  // The runbook's "run the host" item lists the new steps, in the host's order.
  const item = plan.procedure.flatMap((p) => p.items).find((i) => i.kind === 'run-host' && i.hostname === 'pbx-main');
  assert.ok(item && 'stepIds' in item);
  assert.deepEqual(item.stepIds.slice(0, 7), ['vendor-scripts', 'debs', 'registry-mirror', 'image-registry_2', 'image-portsip_pbx_22', 'image-portsip_postgresql_14.12', 'local-registry']);
  assert.ok(external.hosts.every((h) => !h.steps.some((s) => ['vendor-scripts', 'debs', 'image-load', 'local-registry'].includes(s.kind))), 'no artifacts, no steps that need them');
});

test('missing artifacts get no step; the host falls back to the vendor way for them', () => {
  const files = everything(artifactMode(spec('cluster'))).filter((f) => f !== 'scripts/pbx_ctl.sh' && !f.startsWith('debs/docker-ce_'));
  const plan = planOf(spec('cluster'), supplied(files, true));
  const pbx = host(plan, 'pbx-main');
  assert.ok(!kinds(pbx).includes('debs'));
  assert.ok(kinds(pbx).includes('docker'), 'without the packages, install_docker.sh installs Docker');
  assert.ok(!kinds(pbx).includes('vendor-scripts'));
  assert.deepEqual(pbx.preflight.vendorScripts, ['install_docker.sh', 'pbx_ctl.sh'], 'the scripts are then expected in paths.scripts');
  const debs = plan.airgap.artifacts.find((a) => a.kind === 'debs')!;
  assert.deepEqual([debs.state, debs.missing, debs.files], ['missing', ['docker-ce'], []]);
});

test('debs are matched by package name up to the underscore', () => {
  assert.ok(debMatches('docker-ce', 'docker-ce_5%3a27.3.1-1~ubuntu.24.04~noble_amd64.deb'));
  assert.ok(!debMatches('docker-ce', 'docker-ce-cli_5%3a27.3.1-1~ubuntu.24.04~noble_amd64.deb'));
  assert.ok(!debMatches('docker-ce', 'docker-ce_27.3.1.tar'));
  assert.equal(imageFileName('portsip/pbx:22.3'), 'portsip_pbx_22.3.tar');
});

test('a site registry qualifies every image reference, adds -d for PostgreSQL, and logs in on vendor runs only', () => {
  const plan = planOf(spec('airgap'));
  const reg = 'registry.example.test:5000';
  assert.equal(plan.release.pbxImage, `${reg}/portsip/pbx:22.3`);
  assert.equal(plan.release.postgresImage, `${reg}/portsip/postgresql:14.12`);
  const pbxRun = host(plan, 'pbx').steps.find((s) => s.kind === 'vendor-run');
  assert.ok(pbxRun?.kind === 'vendor-run');
  assert.deepEqual(pbxRun.calls[0]!.argv, ['-p', '/var/lib/portsip', '-a', '10.20.0.10', '-i', `${reg}/portsip/pbx:22.3`, '-d', `${reg}/portsip/postgresql:14.12`]);
  assert.deepEqual(pbxRun.calls[0]!.secrets, [], 'the vendor script gets no -U/-P: the host logged in before');
  const login = host(plan, 'pbx').steps.find((s) => s.kind === 'registry-login');
  assert.ok(login?.kind === 'registry-login');
  assert.deepEqual([login.calls[0]!.script, login.calls[0]!.subcommand, ...login.calls[0]!.argv], ['docker', 'login', '--username', 'deploy', '--password-stdin', reg]);
  assert.equal(login.calls[0]!.stdin?.label, 'registry password', 'the password goes in on standard input');
  const im = host(plan, 'im-1');
  assert.deepEqual(im.preflight.secrets.map((s) => s.label), ['registry password', 'IM token']);
  // Tarballs are named without the registry, so a site can change registries without renaming them.
  assert.ok(plan.airgap.artifacts.filter((a) => a.kind === 'image').every((a) => a.path.startsWith('artifacts/images/portsip_')));
  // An image already under a registry host is left as it is.
  const naming = imageNaming(reg);
  assert.equal(naming.qualify('other.example.test/portsip/pbx:22.3'), 'other.example.test/portsip/pbx:22.3');
  assert.equal(naming.qualify('localhost/pbx:22.3'), 'localhost/pbx:22.3');
  assert.equal(naming.unqualify(`${reg}/portsip/sbc:11`), 'portsip/sbc:11');
});

test('HA: the registry also reaches vars.yml (pbx_image)', () => {
  const text = spec('ha-onprem').replace(/^release:\n/m, 'release:\n  registry: { server: registry.example.test, username: deploy, passwordRef: { env: REG_PW } }\n');
  const plan = planOf(text);
  const vars = plan.hosts[0]!.files.find((f) => f.name === 'vars.yml');
  assert.match(vars?.entries.find((e) => e.key === 'pbx_image')?.value ?? '', /^registry\.example\.test\/portsip\/pbx:/);
});

test('a mirror adds one step per host after Docker, and the plan records it without a trailing slash', () => {
  const plan = planOf(spec('airgap-mirror'));
  assert.equal(plan.airgap.registryMirror, 'https://mirror.example.test:5000');
  const pbx = plan.hosts[0]!;
  assert.equal(kinds(pbx)[kinds(pbx).indexOf('docker') + 1], 'registry-mirror');
  assert.equal(plan.release.pbxImage, 'portsip/pbx:22.3', 'a mirror keeps Docker Hub names');
});

test('with --artifacts, the artifact list is the same whether or not the files are there', () => {
  const text = spec('airgap');
  const external = artifactMode(text);
  // The fixture pins its stand-in scripts (release.scripts).
  const pins = (parse(text) as { release: { scripts: { sha256: Record<string, string> } } }).release.scripts.sha256;
  const bundled = planOf(text, supplied(everything(external), false, pins));
  const strip = (p: Plan) => p.airgap.artifacts.map(({ state: _s, files: _f, missing: _m, ...a }) => ({ ...a, hosts: [...a.hosts].sort() }));
  assert.deepEqual(strip(bundled), strip(external));
});
