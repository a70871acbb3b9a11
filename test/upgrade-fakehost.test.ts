// Upgrade bundles on the fake host: OLD installed on every host, the upgrade applied in the
// runbook's order; each host then runs what a fresh install of NEW runs (same containers,
// images, arguments) and the NEW bundle's --check finds it converged; a second run changes
// nothing; the vendor calls come in the plan's order.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { callText } from './fakehost/fakehost.js';
import { copyBundle, isQueryCall } from './fakehost/bundle.js';
import { bundleFiles, compileCase, compileSide } from './upgrade/cases.js';
import { disposeSite, hostState, installSite, rmDir, runUpgrade, writeBundle } from './upgrade/fleet.js';
import { FIXTURES } from './golden.js';

const caseDir = (name: string) => join(FIXTURES, 'upgrades', name);

for (const name of ['standalone', 'cluster']) {
  test(`upgrade on the fake host equals a fresh install of NEW: ${name}`, async () => {
    const dir = caseDir(name);
    const up = compileCase(dir);
    assert.ok(up.ok);
    const oldDir = writeBundle(compileSide(dir, 'old').files);
    const newDir = writeBundle(compileSide(dir, 'new').files);
    const upDir = writeBundle(bundleFiles(up));
    const site = await installSite(oldDir, upDir);
    const fresh = await installSite(newDir, null);
    try {
      const order = up.plan!.upgrade!.order;
      const byName = new Map(site.map((s) => [s.name, s]));
      const calls: string[] = [];
      let secondSaved = 0;
      for (const n of order) {
        const s = byName.get(n)!;
        const r = await runUpgrade(s);
        assert.equal(r.code, 0, `${n}: ${r.stderr.slice(-3000)}`);
        assert.match(r.stderr, /backup: \/var\/backups\/pbxplan\/.* \([0-9]+ bytes\); image .* saved as .*\([0-9]+ bytes\)/, `${n}: the backup's location and size are logged`);
        const backup = up.plan!.hosts.find((h) => h.hostname === n)!.steps.find((x) => x.kind === 'upgrade-backup');
        if (backup && backup.kind === 'upgrade-backup' && backup.secondImage) {
          // A ClickHouse change: the old ClickHouse image is saved for a rollback too.
          assert.match(r.stderr, new RegExp(`image ${backup.secondImage.image} saved as ${backup.secondImage.archive} \\([0-9]+ bytes\\)`), `${n}: the old ClickHouse image is saved`);
          assert.ok(existsSync(s.setup.fake.hostPath(backup.secondImage.archive)), `${n}: ${backup.secondImage.archive} exists`);
          secondSaved++;
        }
        calls.push(...r.calls.map((c) => `${n}: ${callText(c)}`).filter((c) => !isQueryCall(c.slice(n.length + 2).split(' '))));
      }
      assert.equal(secondSaved, name === 'cluster' ? 1 : 0, 'the cluster case changes ClickHouse on its Data Flow host');
      // Exactly the plan's vendor actions, in its order (the backup's stop/start included).
      const planned = up.plan!.hosts.flatMap((h) => h.steps.flatMap((s) => s.calls.filter((c) => c.purpose === 'action').map((c) => `${h.hostname}: ${[c.script, ...(c.subcommand ? [c.subcommand] : []), ...c.argv].join(' ')}`)));
      assert.deepEqual(calls, planned);
      for (const s of site) {
        const f = fresh.find((x) => x.name === s.name)!;
        const a = hostState(s);
        const b = hostState(f);
        assert.deepEqual(a.containers, b.containers, `${s.name}: containers differ from a fresh install of NEW`);
        assert.deepEqual(a.images, b.images, `${s.name}: images differ from a fresh install of NEW`);
        // The NEW bundle (day two) finds the upgraded host converged, not drifted.
        copyBundle(s.setup.fake, newDir, '/root/pbxplan-new');
        const check = await s.setup.fake.run(s.setup.fake.hostPath(`/root/pbxplan-new/hosts/${s.name}/install.sh`), ['--check'], { env: s.setup.env });
        assert.equal(check.code, 0, `${s.name}: the NEW bundle's --check after the upgrade: ${check.stderr.slice(-2000)}`);
      }
      for (const n of order) {
        const r = await runUpgrade(byName.get(n)!);
        assert.equal(r.code, 0, `${n} second run: ${r.stderr}`);
        assert.deepEqual(r.mutations, [], `${n}: a second run changes nothing`);
      }
    } finally {
      disposeSite(site);
      disposeSite(fresh);
      for (const d of [oldDir, newDir, upDir]) rmDir(d);
    }
  });
}
