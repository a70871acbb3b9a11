// Upgrade bundles with a site registry: pbx_ctl.sh upgrade has no registry options and pulls
// with the login Docker stored at install time. The fake Docker answers the site registry only
// with that stored login (its config.json); the pre-flight checks the login is there, so a lost
// one stops the upgrade before the teardown, naming the registry, instead of leaving the PBX down.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile, compileUpgrade } from '../src/index.js';
import { runOn } from './fakehost/cycle.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from './golden.js';
import { tc } from './upgrade/cases.js';
import { disposeSite, installSite, rmDir, runUpgrade, writeBundle } from './upgrade/fleet.js';

const dir = join(FIXTURES, 'upgrades', 'standalone');
const REGISTRY = 'registry.example.test:5000';
/** A standalone case's spec with a site registry named under release. */
const withRegistry = (side: 'old' | 'new') =>
  readFileSync(join(dir, `${side}.yaml`), 'utf8').replace(/(\n  pbxImage: [^\n]+)/, `$1\n  registry:\n    server: ${REGISTRY}\n    username: deploy\n    passwordRef: { env: PBXPLAN_REGISTRY_PASSWORD }`);
const opts = () => ({ today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: tc() });
const files = (r: { files?: { path: string; content: string }[] }) => new Map((r.files ?? []).map((f) => [f.path, f.content]));

test('site registry: the pre-flight finds the stored docker login; without it, it stops naming the registry and nothing changes', async () => {
  const old = compile(withRegistry('old'), opts());
  assert.ok(old.ok, old.diagnostics.map((d) => d.code).join(', '));
  const up = compileUpgrade(withRegistry('new'), { spec: withRegistry('old') }, opts());
  assert.ok(up.ok, up.refusal);
  const check = up.plan!.hosts[0]!.steps.find((s) => s.kind === 'upgrade-check');
  assert.deepEqual(check && check.kind === 'upgrade-check' ? check.pullFrom : null, { via: 'registry', server: REGISTRY, login: true });
  const oldDir = writeBundle(files(old));
  const upDir = writeBundle(files(up));
  const site = await installSite(oldDir, upDir);
  try {
    const pbx = site[0]!;
    const pre = await runOn(pbx.setup, pbx.upgradeScript!, ['--only', 'upgrade-check', '--yes']);
    assert.equal(pre.result.code, 0, pre.result.stderr.slice(-1500));
    // The login lost (another admin's docker logout, a rebuilt /root): the pre-flight says so.
    const config = pbx.setup.fake.hostPath('/root/.docker/config.json');
    const saved = readFileSync(config);
    rmSync(config);
    for (const args of [['--only', 'upgrade-check', '--yes'], ['--yes']]) {
      const r = await runOn(pbx.setup, pbx.upgradeScript!, args);
      assert.equal(r.result.code, 1, `${args.join(' ')}: ${r.result.stderr.slice(-1500)}`);
      assert.match(r.result.stderr, new RegExp(`no docker login for ${REGISTRY} is stored`));
      assert.deepEqual(r.result.mutations, [], `${args.join(' ')}: nothing changed`);
    }
    pbx.setup.fake.writeFile('/root/.docker/config.json', saved.toString('utf8'), 0o600);
    const r = await runUpgrade(pbx);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok(r.mutations.some((m) => m.endsWith(`pbx_ctl.sh upgrade -i ${REGISTRY}/portsip/pbx:22.4`)), r.mutations.join('\n'));
  } finally {
    disposeSite(site);
    rmDir(oldDir);
    rmDir(upDir);
  }
});
