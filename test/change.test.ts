// Change bundles (compile NEW --from OLD for anything but the release): goldens of a handful of
// fixtures/changes/<case>/expected-bundle/ (UPDATE_GOLDEN=1 rewrites them; read the diff), every
// corpus pair either bundled or refused in words, the generated scripts pass bash -n and
// shellcheck, and the steps of each host carry out exactly the diff, in a safe order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { compile, compileChange, createToolchain, type ChangeResult, type Plan, type Toolchain } from '../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, readTree, writeTree } from './golden.js';
import { references } from './references.js';

const CHANGES = join(FIXTURES, 'changes');
const update = process.env['UPDATE_GOLDEN'] === '1' && !process.env['CI'];
let toolchain: Toolchain | null = null;
const tc = () => (toolchain ??= createToolchain());
const opts = () => ({ today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: tc(), specName: 'new.yaml' });

/** The change bundle of one corpus pair, as `pbxplan compile new.yaml --from old.yaml` makes it. */
export function compileChangeCase(name: string, extra: { purge?: boolean; allowDestroy?: boolean } = {}): ChangeResult {
  const dir = join(CHANGES, name);
  return compileChange(readFileSync(join(dir, 'new.yaml')), { spec: readFileSync(join(dir, 'old.yaml')), specName: 'old.yaml' }, { ...opts(), ...extra });
}

const cases = readdirSync(CHANGES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** Cases with a golden bundle: one per kind of work (add, remove, recreate with dependents, address
 * change, trust switch, portal only, HA scripted, HA manual, token, --purge). */
const GOLDEN: { name: string; dir: string; purge?: boolean }[] = [
  { name: 'add-media', dir: 'expected-bundle' },
  { name: 'remove-media', dir: 'expected-bundle' },
  { name: 'remove-im', dir: 'expected-bundle-purge', purge: true },
  { name: 'pbx-ip-change', dir: 'expected-bundle' },
  { name: 'server-ip-change', dir: 'expected-bundle' },
  { name: 'trusted-sources-subnet', dir: 'expected-bundle' },
  { name: 'im-token-ref-change', dir: 'expected-bundle' },
  { name: 'media-max-call-sessions', dir: 'expected-bundle' },
  { name: 'ha-extended-add', dir: 'expected-bundle' },
  { name: 'ha-vip-change', dir: 'expected-bundle' },
];

/** What compile --from does with every pair: a change bundle, the upgrade bundle, or a refusal (its reason). */
const REFUSED: Record<string, RegExp> = {
  'no-change': /^nothing to change/,
  'protect-remove': /^\[protected_host_destroyed\]/,
  'release-downgrade': /^\[release_downgrade\]/,
  'waiver-change': /^nothing to change/,
};

for (const g of GOLDEN) {
  test(`change golden: ${g.name}${g.purge ? ' --purge' : ''}`, () => {
    const r = compileChangeCase(g.name, { purge: g.purge ?? false });
    assert.ok(r.ok, `${g.name}: ${r.refusal ?? r.diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(r.kind, 'change');
    const actual = new Map((r.files ?? []).map((f) => [f.path, f.content]));
    const expectedDir = join(CHANGES, g.name, g.dir);
    if (update) writeTree(expectedDir, actual);
    const expected = readTree(expectedDir);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${g.name}: the list of files differs from ${g.dir}/ (UPDATE_GOLDEN=1, then read the diff)`);
    for (const [path, text] of expected) assert.equal(actual.get(path), text, `${g.name}/${g.dir}/${path} differs from its golden`);
  });
}

test('every corpus pair gives a change bundle, the upgrade bundle, or a refusal that says why', () => {
  for (const name of cases) {
    const r = compileChangeCase(name);
    if (REFUSED[name]) {
      assert.equal(r.ok, false, name);
      assert.match(r.refusal ?? r.diagnostics.map((d) => d.code).join(', '), REFUSED[name]!, name);
      assert.equal(r.files, undefined, `${name}: nothing to write`);
    } else {
      assert.ok(r.ok, `${name}: ${r.refusal ?? r.diagnostics.map((d) => d.code).join(', ')}`);
      assert.equal(r.kind, name === 'release-upgrade' ? 'upgrade' : 'change', name);
    }
  }
});

test('change scripts pass bash -n (every one) and shellcheck (one of each shape): every corpus pair', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-change-sc-'));
  try {
    const paths: string[] = [];
    // shellcheck is slow: a script whose steps are of the same kinds as one checked already says nothing new.
    const shapes = new Set<string>();
    for (const name of cases) {
      const r = compileChangeCase(name, { purge: true, allowDestroy: true });
      if (!r.ok || r.kind !== 'change') continue;
      for (const [i, f] of (r.files ?? []).filter((x) => x.path.endsWith('.sh')).entries()) {
        const p = join(tmp, `${name}-${i}.sh`);
        writeFileSync(p, f.content);
        const n = spawnSync('bash', ['-n', p], { encoding: 'utf8' });
        assert.equal(n.status, 0, `${name}/${f.path}: bash -n: ${n.stderr}`);
        const host = r.plan!.hosts.find((h) => h.script === f.path);
        const shape = host ? JSON.stringify([host.haAccount !== null, host.files.length, host.steps.map((s) => s.kind)]) : f.path;
        if (shapes.has(shape)) continue;
        shapes.add(shape);
        paths.push(p);
      }
    }
    assert.ok(paths.length > 10);
    if (spawnSync('shellcheck', ['--version']).status !== 0) {
      assert.ok(process.env['REQUIRE_SHELLCHECK'] !== '1', 'shellcheck is not installed but REQUIRE_SHELLCHECK=1');
      t.diagnostic('shellcheck not installed: bash -n only');
      return;
    }
    const sc = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...paths], { encoding: 'utf8' });
    assert.equal(sc.status, 0, sc.stdout);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** Per host, its step ids in order: `host: id id …`. */
const steps = (p: Plan) => p.hosts.map((h) => `${h.hostname}: ${h.steps.map((s) => s.id).join(' ')}`);
/** The runbook's host items in order: `id` (restarts as restart-<host>). */
const items = (p: Plan) => p.procedure.flatMap((ph) => ph.items.map((i) => i.id));

test('add a media server: trust and portal first, then its install, then the forced restarts in the documented order (never the PBX itself)', () => {
  const p = compileChangeCase('add-media').plan!;
  assert.deepEqual(steps(p), [
    'pbx-main: trust-192.168.1.27 firewall-reload restart-loadbalancer',
    'media-server-1: restart-media-server',
    'media-server-2: docker media-server record-restart-media-server',
    'queue-server-1: restart-queue-server',
    'meeting-server-1: restart-meeting-server',
    'vr-server-1: restart-vr-server',
    // Not forced: their restart markers are brought to the new membership, nothing restarts.
    'im-server: record-restart-im',
    'dataflow: record-restart-dataflow',
  ]);
  assert.deepEqual(items(p), ['change-check', 'portal-before', 'change-pbx-main', 'change-media-server-2', 'change-im-server', 'change-dataflow', 'restart-pbx-main', 'restart-media-server-1', 'restart-queue-server-1', 'restart-meeting-server-1', 'restart-vr-server-1', 'check-all', 'verify-online']);
  for (const h of p.hosts.filter((x) => x.hostname === 'im-server' || x.hostname === 'dataflow')) assert.ok(h.steps.every((s) => s.calls.length === 0), `${h.hostname} runs nothing`);
  assert.ok(!p.hosts.some((h) => h.steps.some((s) => s.id === 'restart-pbx')));
});

test('remove a media server: its role removed on the host (data kept), then its trust removed on the PBX, the portal entries deleted after', () => {
  const p = compileChangeCase('remove-media').plan!;
  assert.deepEqual(steps(p).filter((l) => /pbx-main|media-server-2/.test(l)), ['pbx-main: untrust-192.168.1.27 record-restart-loadbalancer', 'media-server-2: remove-media-server']);
  // Removing a server forces no restart: the others only have their markers brought up to date.
  assert.ok(p.hosts.every((h) => h.steps.every((s) => s.kind !== 'vendor-restart')));
  const order = items(p);
  assert.ok(order.indexOf('change-media-server-2') < order.indexOf('change-pbx-main') && order.indexOf('change-pbx-main') < order.indexOf('portal-after'), order.join(' '));
  const rm = p.hosts.find((h) => h.hostname === 'media-server-2')!.steps[0]!;
  assert.deepEqual(rm.calls.filter((c) => c.purpose === 'action').map((c) => [c.script, c.subcommand, ...c.argv].join(' ')), ['cluster_ctl.sh rm -s media-server-only']);
  const after = p.procedure.flatMap((ph) => ph.items).find((i) => i.id === 'portal-after');
  assert.ok(after && after.kind === 'change-portal' && after.tasks.some((t) => /delete/.test(t) && /media-server-2/.test(t)));
});

test('--purge adds the deletion of the retired role\'s data, and the runbook says there is no way back for it', () => {
  const kept = compileChangeCase('remove-im').plan!;
  const purged = compileChangeCase('remove-im', { purge: true }).plan!;
  assert.ok(!kept.hosts.some((h) => h.steps.some((s) => s.kind === 'purge')));
  const step = purged.hosts.flatMap((h) => h.steps).find((s) => s.kind === 'purge');
  assert.ok(step && step.kind === 'purge');
  assert.deepEqual(step.paths, ['/var/lib/portsip/im-data', '/var/lib/portsip/im-postgresql', '/opt/portsip/im-server-only']);
  const item = purged.procedure.flatMap((ph) => ph.items).find((i) => i.kind === 'change-host' && i.hostname === 'im-server');
  assert.ok(item && item.kind === 'change-host' && /None for the data/.test(item.wayBack[0]!));
});

test('a new PBX address recreates the PBX first, then every dependent (rm then run), and the IM host stops trusting the old address', () => {
  const p = compileChangeCase('pbx-ip-change').plan!;
  const order = p.procedure.find((ph) => ph.id === 'change-hosts')!.items.map((i) => i.where);
  assert.equal(order[0], 'pbx-main');
  for (const h of p.hosts) {
    const ids = h.steps.map((s) => s.id);
    const rm = ids.findIndex((id) => id.startsWith('remove-'));
    assert.ok(rm >= 0 && h.steps[rm + 1]!.kind === 'vendor-run', `${h.hostname}: rm then run (${ids.join(' ')})`);
  }
  assert.ok(p.hosts.find((h) => h.hostname === 'im-server')!.steps.some((s) => s.kind === 'trust-remove' && s.address === '192.168.1.20'));
  for (const it of p.procedure.find((ph) => ph.id === 'change-hosts')!.items) assert.ok(it.kind === 'change-host' && it.downtime !== null, `${it.id} marks its downtime`);
});

test('each host script names its base: the records of OLD and NEW, and the plan hashes of both', () => {
  const r = compileChangeCase('server-ip-change');
  const old = compile(readFileSync(join(CHANGES, 'server-ip-change', 'old.yaml')), { ...opts(), specName: 'old.yaml' });
  const oldRun = old.plan!.hosts.find((h) => h.hostname === 'queue-server-1')!.steps.find((s) => s.kind === 'vendor-run')!;
  const newRun = r.plan!.hosts.find((h) => h.hostname === 'queue-server-1')!.steps.find((s) => s.kind === 'vendor-run')!;
  const rec = r.plan!.change!.hosts.find((h) => h.hostname === 'queue-server-1')!.records;
  assert.deepEqual(rec, [{ file: 'queue-server.args', old: oldRun.kind === 'vendor-run' ? oldRun.fingerprint : '', new: newRun.kind === 'vendor-run' ? newRun.fingerprint : '' }]);
  const script = r.files!.find((f) => f.path === 'hosts/queue-server-1/install.sh')!.content;
  assert.match(script, new RegExp(`readonly BASE_PLAN=${r.plan!.change!.base.planHash}`));
  assert.match(script, /readonly BASE_SPEC=old\.yaml/);
  assert.match(script, /base_record queue-server\.args /);
  assert.notEqual(r.plan!.change!.base.planHash, r.plan!.change!.target.planHash);
});

test('HA: a new extended server is reached from pbx01 (SSH, the portal checkpoint, its extend.sh run); undocumented HA changes are manual steps, never a command', () => {
  const add = compileChangeCase('ha-extended-add').plan!;
  assert.deepEqual(steps(add), ['pbx01: ssh-media-server-2 portal-ready extend-media-server-2', 'media-server-2: ']);
  const vip = compileChangeCase('ha-vip-change').plan!;
  assert.deepEqual(vip.hosts, []);
  const manual = vip.procedure.flatMap((ph) => ph.items).filter((i) => i.kind === 'change-manual');
  assert.ok(manual.length > 0 && manual.every((i) => i.kind === 'change-manual' && /documents no procedure/.test(i.why)));
  const rm = compileChangeCase('ha-extended-remove').plan!;
  assert.deepEqual(rm.hosts.flatMap((h) => h.steps.flatMap((s) => s.calls.map((c) => `${h.hostname}: ${[c.script, c.subcommand, ...c.argv].join(' ')}`))), ['pbx01: extend.sh rm -s media-server-only -a 192.168.1.27']);
});

test('a release change mixed with other changes is refused (two bundles); the plan of a change bundle is refused as OLD', () => {
  const dir = join(CHANGES, 'add-media');
  const mixed = readFileSync(join(dir, 'new.yaml'), 'utf8').replace(/pbxImage: portsip\/pbx:22\.3/, 'pbxImage: portsip/pbx:22.4');
  assert.notEqual(mixed, readFileSync(join(dir, 'new.yaml'), 'utf8'));
  const r = compileChange(mixed, { spec: readFileSync(join(dir, 'old.yaml')), specName: 'old.yaml' }, opts());
  assert.equal(r.ok, false);
  assert.match(r.refusal!, /make the upgrade a bundle of its own/);
  const change = compileChangeCase('add-media').plan!;
  const again = compileChange(readFileSync(join(dir, 'new.yaml')), { plan: change }, opts());
  assert.match(again.refusal!, /change bundle's/);
  assert.ok(existsSync(dir));
});

test('diff refuses the plan.json of a change bundle as a side: it holds only the hosts it changed', async () => {
  const { loadSide } = await import('../src/index.js');
  const change = compileChangeCase('remove-media');
  const planJson = change.files!.find((f) => f.path === 'plan.json')!.content;
  const r = loadSide({ kind: 'plan', label: 'change/plan.json', text: planJson }, opts());
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : (r.problem ?? ''), /plan of a change bundle/);
});

test('change bundles name no domain note ids (scripts, runbook, plan.json texts)', () => {
  const found: string[] = [];
  for (const name of cases) {
    const r = compileChangeCase(name);
    for (const f of r.files ?? []) {
      if (!/\.(sh|md|html|json)$/.test(f.path) || f.path === 'sourcemap.json') continue;
      // Decision ids ("id": "E50") are keys for machines, as in a full bundle's plan.json.
      for (const id of references(String(f.content).replace(/"id": "[^"]*"/g, ''))) found.push(`${name}/${f.path}: ${id}`);
    }
  }
  assert.deepEqual(found, []);
});

test('the shipped CLI writes the change bundle golden: compile new.yaml --from old.yaml (and --purge)', () => {
  const bin = join(REPO, (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: { pbxplan: string } }).bin.pbxplan);
  const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-change-cli-'));
  try {
    for (const g of GOLDEN.filter((x) => x.name === 'add-media' || x.purge)) {
      const dir = join(CHANGES, g.name);
      const out = join(tmp, g.name);
      const r = spawnSync(process.execPath, [bin, 'compile', join(dir, 'new.yaml'), '--from', join(dir, 'old.yaml'), '-o', out, '--today', GOLDEN_TODAY, ...(g.purge ? ['--purge'] : [])], { encoding: 'utf8', env: { ...process.env, PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY, NO_COLOR: '1' } });
      assert.equal(r.status, 0, r.stderr);
      const expected = readTree(join(dir, g.dir));
      const actual = readTree(out);
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${g.name}: files`);
      for (const [path, text] of expected) assert.equal(actual.get(path), text, `${g.name}/${path} differs from its golden`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
