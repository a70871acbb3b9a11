// Upgrade bundles without the Internet (issue "Upgrade bundles", item 3). Every vendor upgrade
// pulls its image after tearing the role down: an air-gapped upgrade bundle loads the new image
// from its tarball and pushes it into the bundle's loopback registry first, so the site with no
// Internet and no registry converges to a fresh NEW install; a bundle without the images, run
// on a site that went offline, stops in its pre-flight naming what it could not reach, and no
// host changes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runOn } from './fakehost/cycle.js';
import { FIXTURES } from './golden.js';
import { bundleFiles, compileCase, compileSide } from './upgrade/cases.js';
import { disposeSite, hostState, installSite, rmDir, runUpgrade, writeBundle } from './upgrade/fleet.js';

const caseDir = (name: string) => join(FIXTURES, 'upgrades', name);

test('offline: an air-gapped upgrade (bundle registry on loopback) converges to a fresh NEW install without any network', async () => {
  const dir = caseDir('airgap-loopback');
  const up = compileCase(dir);
  assert.ok(up.ok, up.refusal);
  const oldDir = writeBundle(compileSide(dir, 'old').files);
  const newDir = writeBundle(compileSide(dir, 'new').files);
  const upDir = writeBundle(bundleFiles(up));
  const site = await installSite(oldDir, upDir, 'always');
  const fresh = await installSite(newDir, null, 'always');
  try {
    const order = up.plan!.upgrade!.order;
    const at = (n: string) => site.find((s) => s.name === n)!;
    // The runbook's pre-flight on every host first: it passes offline and changes nothing.
    for (const n of order) {
      const r = await runOn(at(n).setup, at(n).upgradeScript!, ['--only', 'upgrade-check', '--yes']);
      assert.equal(r.result.code, 0, `${n} pre-flight: ${r.result.stderr.slice(-1500)}`);
      assert.deepEqual(r.result.mutations, [], `${n}: the pre-flight changes nothing`);
    }
    for (const n of order) {
      const r = await runUpgrade(at(n));
      assert.equal(r.code, 0, `${n}: ${r.stderr.slice(-3000)}`);
      const done = r.mutations;
      const push = done.indexOf('docker push 127.0.0.1:5000/portsip/pbx:22.4');
      const upgrade = done.findIndex((c) => /_ctl\.sh upgrade .*-i portsip\/pbx:22\.4$/.test(c));
      assert.ok(push >= 0, `${n}: the new image is pushed into the bundle's registry: ${done.join('\n')}`);
      assert.ok(upgrade > push, `${n}: ... before the vendor's upgrade pulls it`);
    }
    for (const s of site) {
      const f = fresh.find((x) => x.name === s.name)!;
      assert.deepEqual(hostState(s).containers, hostState(f).containers, `${s.name}: containers differ from a fresh install of NEW`);
      assert.deepEqual(hostState(s).images, hostState(f).images, `${s.name}: images differ from a fresh install of NEW`);
    }
    for (const n of order) {
      const r = await runUpgrade(at(n));
      assert.equal(r.code, 0, `${n} second run: ${r.stderr.slice(-1500)}`);
      assert.deepEqual(r.mutations, [], `${n}: a second run changes nothing`);
    }
  } finally {
    disposeSite(site);
    disposeSite(fresh);
    for (const d of [oldDir, newDir, upDir]) rmDir(d);
  }
});

test('offline: an upgrade bundle without the images, on a site that went offline, fails in pre-flight naming Docker Hub, changing nothing', async () => {
  const dir = caseDir('standalone');
  const up = compileCase(dir);
  const oldDir = writeBundle(compileSide(dir, 'old').files);
  const upDir = writeBundle(bundleFiles(up));
  const site = await installSite(oldDir, upDir, 'after-install');
  try {
    for (const s of site) {
      for (const args of [['--only', 'upgrade-check', '--yes'], ['--yes']]) {
        const r = await runOn(s.setup, s.upgradeScript!, args);
        assert.notEqual(r.result.code, 0, `${s.name} ${args.join(' ')}: must fail offline`);
        assert.match(r.result.stderr, /Docker Hub.*(does not answer|reachable)/, `${s.name} ${args.join(' ')}: names what it could not reach: ${r.result.stderr.slice(-1500)}`);
        assert.deepEqual(r.result.mutations, [], `${s.name} ${args.join(' ')}: nothing changed`);
        assert.deepEqual(r.fsChanges, [], `${s.name} ${args.join(' ')}: nothing written but the log`);
      }
    }
  } finally {
    disposeSite(site);
    rmDir(oldDir);
    rmDir(upDir);
  }
});
