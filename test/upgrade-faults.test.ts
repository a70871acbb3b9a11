// Upgrade bundles under failure: a fault injected at a step (FAKEHOST_FAIL on that host) stops
// that host with the rollback text, leaves every earlier host upgraded and healthy, and a re-run
// once the fault is cleared completes; a pre-flight failure on the last host changes nothing on
// any host.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runOn } from './fakehost/cycle.js';
import { FIXTURES } from './golden.js';
import { bundleFiles, compileCase, compileSide } from './upgrade/cases.js';
import { disposeSite, installSite, rmDir, runUpgrade, writeBundle, type SiteHost } from './upgrade/fleet.js';

interface Fault {
  host: string;
  fail: string; // FAKEHOST_FAIL
  step: string; // the step id that fails
}

/** One site, upgraded in order; each fault hits its host once, then the run is repeated. */
async function upgradeWithFaults(name: string, faults: Fault[], before?: (site: SiteHost[], order: string[]) => Promise<void>): Promise<string[]> {
  const dir = join(FIXTURES, 'upgrades', name);
  const up = compileCase(dir);
  const oldDir = writeBundle(compileSide(dir, 'old').files);
  const upDir = writeBundle(bundleFiles(up));
  const site = await installSite(oldDir, upDir);
  const table: string[] = [];
  try {
    const order = up.plan!.upgrade!.order;
    if (before) await before(site, order);
    const at = (n: string) => site.find((s) => s.name === n)!;
    for (const [i, n] of order.entries()) {
      for (const f of faults.filter((x) => x.host === n)) {
        const r = await runUpgrade(at(n), ['--yes'], { FAKEHOST_FAIL: f.fail });
        assert.equal(r.code, 1, `${n} with ${f.fail}: ${r.stderr.slice(-1500)}`);
        assert.match(r.stderr, new RegExp(`\\[${f.step}\\] FAILED`), `${n}: ${f.step} is the step that failed`);
        const rollback = /To go back to the old release/.test(r.stderr);
        if (f.step === 'upgrade') assert.ok(rollback && /docker image load -i \/var\/backups\/pbxplan\//.test(r.stderr), `${n}: the rollback text is printed`);
        for (const earlier of order.slice(0, i)) {
          const c = await runUpgrade(at(earlier), ['--check']);
          assert.equal(c.code, 0, `${earlier} is upgraded and healthy while ${n} failed: ${c.stderr.slice(-800)}`);
        }
        table.push(`${n} | ${f.fail} | ${f.step} | exit ${r.code} | rollback text ${rollback ? 'yes' : 'no'} | earlier hosts healthy: ${i}`);
      }
      const r = await runUpgrade(at(n));
      assert.equal(r.code, 0, `${n} after the fault is cleared: ${r.stderr.slice(-1500)}`);
    }
    for (const n of order) assert.equal((await runUpgrade(at(n), ['--check'])).code, 0, `${n} at the new release`);
    return table;
  } finally {
    disposeSite(site);
    rmDir(oldDir);
    rmDir(upDir);
  }
}

test('upgrade faults: standalone PBX, in the backup and after the teardown', async (t) => {
  const table = await upgradeWithFaults('standalone', [
    { host: 'pbx', fail: 'pbx_ctl.sh:stop', step: 'upgrade-backup' },
    { host: 'pbx', fail: 'pbx_ctl.sh:upgrade-before', step: 'upgrade' },
    { host: 'pbx', fail: 'pbx_ctl.sh:upgrade', step: 'upgrade' },
  ]);
  for (const l of table) t.diagnostic(l);
});

test('upgrade faults: cluster at the IM server, the Data Flow run and the last server; pre-flight failure on the last host changes nothing', async (t) => {
  const table = await upgradeWithFaults(
    'cluster',
    [
      { host: 'pbx-main', fail: 'pbx_ctl.sh:upgrade', step: 'upgrade' },
      { host: 'im-server', fail: 'im_ctl.sh:upgrade', step: 'upgrade' },
      { host: 'dataflow', fail: 'dataflow_ctl.sh:run', step: 'upgrade' },
      { host: 'vr-server-1', fail: 'cluster_ctl.sh:upgrade', step: 'upgrade' },
    ],
    async (site, order) => {
      // The last host lacks the old image (nothing to save for a rollback): its pre-flight fails.
      const last = site.find((s) => s.name === order[order.length - 1])!;
      const image = join(last.setup.fake.dir, 'state', 'docker', 'images', 'portsip_pbx_22.3');
      const saved = (await import('node:fs')).readFileSync(image, 'utf8');
      rmSync(image);
      for (const n of order) {
        const s = site.find((x) => x.name === n)!;
        const r = await runOn(s.setup, s.upgradeScript!, ['--only', 'upgrade-check', '--yes']);
        assert.deepEqual(r.result.mutations, [], `${n}: the pre-flight changes nothing`);
        assert.deepEqual(r.fsChanges, [], `${n}: the pre-flight writes nothing but its log`);
        if (n === last.name) {
          assert.equal(r.result.code, 1);
          assert.match(r.result.stderr, /the old image portsip\/pbx:22.3 is not on this host/);
        } else {
          assert.equal(r.result.code, 0, `${n}: ${r.result.stderr.slice(-800)}`);
        }
      }
      (await import('node:fs')).writeFileSync(image, saved);
      t.diagnostic(`${last.name} | old image missing | upgrade-check | exit 1 | no host changed`);
    },
  );
  for (const l of table) t.diagnostic(l);
});
