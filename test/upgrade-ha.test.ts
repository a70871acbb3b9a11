// The HA upgrade on the fake host (domain §5.3): OLD installed from pbx01 (the three nodes and
// every extended server are nested fake roots of it), the upgrade bundle run on pbx01 with the
// operator's confirmations in place. The HA stand-ins (update.sh, extend.sh/im.sh/dataflow.sh/
// sbc.sh upgrade) model what the HA guides document: the HA package is not public. The site then
// equals a fresh install of NEW, a second run changes nothing, the calls come in the HA order;
// a fault in one extended server type's upgrade leaves the PBX upgraded and that type down, and
// a re-run once the fault is cleared completes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bundleHosts, copyBundle, setUpHost, type HostSetup } from './fakehost/bundle.js';
import { converge } from './fakehost/cycle.js';
import { FIXTURES } from './golden.js';
import type { Plan } from '../src/index.js';
import { bundleFiles, compileCase, compileSide } from './upgrade/cases.js';
import { UPGRADE_ON_HOST, haSiteState, rmDir, writeBundle } from './upgrade/fleet.js';

const dir = join(FIXTURES, 'upgrades', 'ha-onprem');
const HA_SCRIPT = /^(?:\S*\/)?(ha_ctl|update|extend|im|dataflow|sbc)\.sh /;

/** pbx01 of a bundle installed on a fresh fake host (with its nested remotes), converged. */
async function installControl(bundleDir: string): Promise<HostSetup> {
  const h = bundleHosts(bundleDir)[0]!;
  const setup = setUpHost(h);
  const r = await converge(setup, setup.script, ['--yes']);
  if (r.result.code !== 0) {
    setup.fake.dispose();
    throw new Error(`install of ${h.host.hostname} failed: ${r.result.stderr.slice(-2000)}`);
  }
  return setup;
}

/** The upgrade bundle on the control node, with the operator's checkpoint confirmations. */
function placeUpgrade(setup: HostSetup, upDir: string, plan: Plan): string {
  copyBundle(setup.fake, upDir, UPGRADE_ON_HOST);
  const host = plan.hosts[0]!;
  for (const s of host.steps) if (s.kind === 'checkpoint' && s.confirmFile) setup.fake.writeFile(`/var/lib/pbxplan/${plan.cluster.name}/${s.confirmFile}`, '', 0o600);
  return setup.fake.hostPath(`${UPGRADE_ON_HOST}/hosts/${host.hostname}/install.sh`);
}

const runUp = (setup: HostSetup, script: string, env: Record<string, string> = {}) => setup.fake.run(script, ['--yes'], { env: { ...setup.env, ...env } });

/** The plan's HA actions in order; ha_ctl.sh status is a query (no mutation), its step's guard. */
function planned(plan: Plan): string[] {
  return plan.hosts[0]!.steps
    .flatMap((s) => s.calls.filter((c) => c.purpose === 'action').map((c) => [c.script, ...(c.subcommand ? [c.subcommand] : []), ...c.argv].join(' ')))
    .filter((c) => !/^ha_ctl\.sh (status|show|master)\b/.test(c));
}

const haCalls = (mutations: string[]) => mutations.filter((m) => HA_SCRIPT.test(m)).map((m) => m.replace(/^\S*\//, ''));

test('HA upgrade on the fake host: equals a fresh NEW install, calls in the HA order, a second run changes nothing; a fault in extend.sh upgrade resumes', async (t) => {
  const up = compileCase(dir);
  assert.ok(up.ok, up.refusal);
  const plan = up.plan!;
  const haGuide = plan.paths.haGuide;
  const oldDir = writeBundle(compileSide(dir, 'old').files);
  const newDir = writeBundle(compileSide(dir, 'new').files);
  const upDir = writeBundle(bundleFiles(up));
  const [site, faulty, fresh] = await Promise.all([installControl(oldDir), installControl(oldDir), installControl(newDir)]);
  try {
    const want = haSiteState({ setup: fresh }, haGuide);
    assert.notDeepEqual(haSiteState({ setup: site }, haGuide), want, 'OLD differs from NEW before the upgrade');

    // The clean upgrade.
    const script = placeUpgrade(site, upDir, plan);
    const r = await runUp(site, script);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    assert.deepEqual(haCalls(r.mutations), planned(plan), 'the HA commands in the HA order');
    assert.deepEqual(haSiteState({ setup: site }, haGuide), want, 'the upgraded site equals a fresh install of NEW');
    const again = await runUp(site, script);
    assert.equal(again.code, 0, again.stderr.slice(-1500));
    assert.deepEqual(again.mutations, [], 'a second run changes nothing');

    // A fault after the media servers' teardown.
    const fscript = placeUpgrade(faulty, upDir, plan);
    const f = await runUp(faulty, fscript, { FAKEHOST_FAIL: 'extend.sh:upgrade' });
    assert.equal(f.code, 1, f.stderr.slice(-1500));
    assert.match(f.stderr, /\[upgrade-media-server\] FAILED/);
    const mid = haSiteState({ setup: faulty }, haGuide) as Record<string, { containers: Record<string, string> }> & { pbxImage: string; pbxStopped: boolean };
    assert.equal(mid.pbxImage, plan.release.pbxImage, 'the PBX (before the fault) is upgraded');
    assert.equal(mid.pbxStopped, false, 'and its resource runs');
    assert.equal(mid['192.168.1.21']!.containers['portsip.mediaserver'], undefined, 'the media server is down (torn down before its pull)');
    assert.match(mid['192.168.1.22']!.containers['portsip.callqueue']!, /portsip\/pbx:22\.3 /, 'later servers untouched');
    const resumed = await runUp(faulty, fscript);
    assert.equal(resumed.code, 0, resumed.stderr.slice(-1500));
    assert.deepEqual(haCalls(resumed.mutations), planned(plan).slice(planned(plan).indexOf('extend.sh upgrade -s media-server-only')), 'the re-run resumes at the failed command');
    assert.deepEqual(haSiteState({ setup: faulty }, haGuide), want, 'after the re-run the site equals a fresh NEW install');
    t.diagnostic('pbx01 | FAKEHOST_FAIL=extend.sh:upgrade | upgrade-media-server | exit 1; PBX at NEW and Started, media server down, later servers at OLD | re-run resumes at extend.sh upgrade -s media-server-only, converges');
  } finally {
    for (const s of [site, faulty, fresh]) s.fake.dispose();
    for (const d of [oldDir, newDir, upDir]) rmDir(d);
  }
});
