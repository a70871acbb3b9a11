// Upgrade bundles: goldens of fixtures/upgrades (UPDATE_GOLDEN=1 rewrites them; read the diff),
// the generated scripts pass bash -n and shellcheck, the hosts and vendor calls come in the
// vendor's order, and what is not an upgrade is refused in words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { upgradeRefusal, type Plan } from '../src/index.js';
import { readTree, writeTree } from './golden.js';
import { references } from './references.js';
import { bundleFiles, compileCase, compileSide, upgradeCases } from './upgrade/cases.js';

const update = process.env['UPDATE_GOLDEN'] === '1' && !process.env['CI'];

for (const { name, dir } of upgradeCases()) {
  test(`upgrade golden: ${name}`, () => {
    const r = compileCase(dir);
    assert.ok(r.ok, `${name}: ${r.refusal ?? r.diagnostics.map((d) => d.code).join(', ')}`);
    const actual = bundleFiles(r);
    const expectedDir = join(dir, 'expected');
    if (update) writeTree(expectedDir, actual);
    const expected = readTree(expectedDir);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${name}: the list of files differs from expected/ (UPDATE_GOLDEN=1, then read the diff)`);
    for (const [path, text] of expected) assert.equal(actual.get(path), text, `${name}/${path} differs from its golden`);
  });

  test(`upgrade bundle names no domain note ids (scripts, runbook, plan.json): ${name}`, () => {
    const r = compileCase(dir);
    const found = (r.files ?? [])
      .filter((f) => /\.(sh|md|html|json)$/.test(f.path) && f.path !== 'sourcemap.json')
      // Decision ids ("id": "E50", "UPG-SH") are keys for machines, as in a full bundle's plan.json.
      .flatMap((f) => references(String(f.content).replace(/"id": "[^"]*"/g, '')).map((id) => `${f.path}: ${id}`));
    assert.deepEqual(found, []);
  });

  test(`upgrade scripts pass bash -n and shellcheck: ${name}`, (t) => {
    const r = compileCase(dir);
    const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-upgrade-sc-'));
    try {
      const scripts = (r.files ?? []).filter((f) => f.path.endsWith('.sh'));
      assert.ok(scripts.length > 0);
      const paths = scripts.map((f, i) => {
        const p = join(tmp, `${i}.sh`);
        writeFileSync(p, f.content);
        const n = spawnSync('bash', ['-n', p], { encoding: 'utf8' });
        assert.equal(n.status, 0, `${f.path}: bash -n: ${n.stderr}`);
        return p;
      });
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
}

/** Host order and, per host, every vendor action in order: `host: script sub args`. */
function sequence(plan: Plan): string[] {
  return plan.hosts.flatMap((h) => h.steps.flatMap((s) => s.calls.filter((c) => c.purpose === 'action').map((c) => `${h.hostname}: ${[c.script, c.subcommand ?? '', ...c.argv].filter((w) => w !== '').join(' ')}`)));
}

test('upgrade order: cluster with every role follows PBX → SBC → IM → Data Flow → servers, ClickHouse change re-runs Data Flow', () => {
  const r = compileCase(join(import.meta.dirname, '..', 'fixtures', 'upgrades', 'cluster'));
  assert.ok(r.ok);
  assert.deepEqual(sequence(r.plan!), [
    'pbx-main: pbx_ctl.sh stop',
    'pbx-main: pbx_ctl.sh start',
    'pbx-main: pbx_ctl.sh upgrade -i portsip/pbx:22.4',
    'sbc-1: sbc_ctl.sh upgrade -i portsip/sbc:11.3',
    'im-server: im_ctl.sh upgrade -i portsip/pbx:22.4',
    'dataflow: dataflow_ctl.sh rm',
    'dataflow: dataflow_ctl.sh run -p /var/lib/portsip -a 192.168.1.26 -i portsip/pbx:22.4 -x 192.168.1.20 -d portsip/clickhouse:26.3',
    'media-server-1: cluster_ctl.sh upgrade -s media-server-only -i portsip/pbx:22.4',
    'queue-server-1: cluster_ctl.sh upgrade -s queue-server-only -i portsip/pbx:22.4',
    'meeting-server-1: cluster_ctl.sh upgrade -s meeting-server-only -i portsip/pbx:22.4',
    'vr-server-1: cluster_ctl.sh upgrade -s vr-server-only -i portsip/pbx:22.4',
  ]);
  assert.deepEqual(r.plan!.upgrade!.order, ['pbx-main', 'sbc-1', 'im-server', 'dataflow', 'media-server-1', 'queue-server-1', 'meeting-server-1', 'vr-server-1']);
  for (const h of r.plan!.hosts) assert.deepEqual(h.steps.map((s) => s.id), ['upgrade-check', 'upgrade-backup', 'upgrade'], h.hostname);
  assert.equal(r.plan!.upgrade!.pointOfNoReturn, 'pbx-main');
});

test('upgrade order: HA runs everything on pbx01 in the HA order', () => {
  const r = compileCase(join(import.meta.dirname, '..', 'fixtures', 'upgrades', 'ha-onprem'));
  assert.ok(r.ok);
  assert.deepEqual(sequence(r.plan!), [
    'pbx01: ha_ctl.sh stop -s pbx',
    'pbx01: update.sh portsip/pbx:22.4',
    'pbx01: extend.sh upgrade -s media-server-only',
    'pbx01: extend.sh upgrade -s queue-server-only',
    'pbx01: extend.sh upgrade -s meeting-server-only',
    'pbx01: extend.sh upgrade -s vr-server-only',
    'pbx01: dataflow.sh upgrade',
    'pbx01: ha_ctl.sh status',
  ]);
  const ids = r.plan!.hosts[0]!.steps.map((s) => s.id);
  assert.ok(ids.indexOf('upgrade-backup') < ids.indexOf('upgrade-pbx'), 'the backup comes before update.sh');
  assert.ok(ids.indexOf('upgrade-ha-package') < ids.indexOf('upgrade-pbx'), 'the HA package is refreshed before update.sh');
});

test('upgrade runbook: pre-flight on every host first, downtime, point of no return, rollback per host, BLF note only from < 22.3.0', () => {
  const r = compileCase(join(import.meta.dirname, '..', 'fixtures', 'upgrades', 'cluster'));
  const md = bundleFiles(r).get('RUNBOOK.md')!;
  const pre = md.indexOf('--only upgrade-check');
  const first = md.indexOf('1. on pbx-main');
  assert.ok(pre > 0 && first > pre, 'the pre-flight table comes before the first host');
  assert.equal((md.match(/Point of no return/g) ?? []).length, 1);
  assert.equal((md.match(/Expected downtime:/g) ?? []).length, 8);
  assert.equal((md.match(/Rollback from this host's backup:/g) ?? []).length, 8);
  assert.ok(!md.includes('BLF keys'), '22.3 → 22.4 does not clear BLF keys');
});

test('upgrade refusals: other changes, same release, floating tags, downgrade, major jump', () => {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'upgrades', 'standalone');
  const old = compileSide(dir, 'old').plan;
  const neu = compileSide(dir, 'new').plan;
  assert.equal(upgradeRefusal(old, neu), null);
  assert.match(upgradeRefusal(old, old)!, /nothing to upgrade/);
  assert.match(upgradeRefusal(neu, old)!, /no downgrade/);
  const moved = { ...neu, hosts: neu.hosts.map((h) => ({ ...h, privateIp: '10.0.0.99' })) };
  assert.match(upgradeRefusal(old, moved)!, /upgrade bundles only/);
  const floating = { ...neu, release: { ...neu.release, pbxImage: 'portsip/pbx:22' } };
  assert.match(upgradeRefusal(old, floating)!, /not pinned/);
  const v23 = { ...neu, release: { ...neu.release, pbxImage: 'portsip/pbx:23.0' } };
  assert.match(upgradeRefusal(old, v23)!, /rebuild/);
  // The message for other changes names what differs and what to do.
  assert.match(upgradeRefusal(old, moved)!, /hosts/);
  void readFileSync;
});
