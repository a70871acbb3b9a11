// Every host of every golden bundle, run on a fake host (src/testing/fakehost, docs/fakehost.md):
// --check changes nothing and exits 2, the first run converges, the second changes nothing and
// reports every step "ok (already)", --check then exits 0; the vendor stand-ins receive exactly
// the arguments plan.json documents; preflight failures exit 3 with nothing changed; a vendor
// script failing mid-way stops the run (exit 1) and the next run resumes and converges.
// Hosts are discovered from fixtures/*/expected, so new golden fixtures are covered as they land.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { bundleHosts, DUMMY_TOKEN, goldenBundles, setUpHost, type BundleHost } from './fakehost/bundle.js';
import { callMismatch, cycleProblems, runCycle, runOn, stepReports } from './fakehost/cycle.js';
import { DEFAULT_FACTS, FakeHost, STANDINS, type HostFacts } from './fakehost/fakehost.js';
import { FIXTURES, listFiles } from './golden.js';

const bundles = goldenBundles(FIXTURES).map((b) => ({ ...b, hosts: bundleHosts(b.dir) }));
const allHosts = bundles.flatMap((b) => b.hosts);

test('golden bundles with hosts are found', () => {
  assert.ok(bundles.length >= 4, `found ${bundles.length} bundles`);
  const scripts = listFiles(FIXTURES).filter((f) => /^[^/]+\/expected\/hosts\/[^/]+\/install\.sh$/.test(f.slice(FIXTURES.length + 1)));
  assert.equal(allHosts.length, scripts.length, 'every golden install.sh (top-level fixtures) is run on a fake host');
});

test('the stand-ins pass shellcheck', (t) => {
  if (spawnSync('shellcheck', ['--version']).status !== 0) {
    assert.ok(process.env['REQUIRE_SHELLCHECK'] !== '1', 'shellcheck is not installed but REQUIRE_SHELLCHECK=1');
    t.skip('shellcheck not installed');
    return;
  }
  const files = listFiles(STANDINS);
  const r = spawnSync('shellcheck', ['-x', '--source-path=SCRIPTDIR', '-s', 'sh', '--severity=style', '--format=gcc', ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, `shellcheck findings:\n${r.stdout}${r.stderr}`);
});

for (const b of bundles) {
  describe(`fake host: ${b.name}`, { concurrency: 2 }, () => {
    for (const h of b.hosts) {
      const name = h.host.hostname;

      test(`${name}: --check, --dry-run, run, run again, --check, --only restart twice`, async (t) => {
        const c = await runCycle(h);
        try {
          assert.deepEqual(cycleProblems(c), [], `${name} is not converged and idempotent:\n${c.run1.result.stderr}`);
          // run 1 changed every install step, and handed each vendor script the documented argv.
          const run1 = stepReports(c.run1.result);
          for (const id of c.installSteps) assert.deepEqual(run1.get(id), ['changing', 'changed'], `run 1, step ${id}`);
          assert.equal(callMismatch(c, 'install'), null, callMismatch(c, 'install') ?? '');
          // --check before listed every install step as pending; --dry-run showed the commands.
          const pending = stepReports(c.checkBefore.result);
          for (const id of c.installSteps) assert.deepEqual(pending.get(id), ['pending'], `--check before, step ${id}`);
          assert.match(c.dryRun.result.stderr, /would run:/);
          assert.equal(c.dryRun.result.calls.length, 0, '--dry-run called a vendor script');
          assert.equal(c.run2.result.calls.length, 0, 'run 2 called a vendor script');
          if (c.restart1) {
            const r1 = stepReports(c.restart1.result);
            for (const id of c.restartSteps) assert.deepEqual(r1.get(id), ['changing', 'changed'], `--only restart, step ${id}`);
            assert.equal(callMismatch(c, 'restart'), null, callMismatch(c, 'restart') ?? '');
            const r2 = stepReports(c.restart2!.result);
            for (const id of c.restartSteps) assert.deepEqual(r2.get(id), ['ok (already)'], `--only restart again, step ${id}`);
          }
          t.diagnostic(
            `steps=${c.installSteps.length}+${c.restartSteps.length} run1=${c.run1.result.mutations.length} run2=${c.run2.result.mutations.length}` +
              ` restart=${c.restart1?.result.mutations.length ?? '-'}/${c.restart2?.result.mutations.length ?? '-'}`,
          );
        } finally {
          c.setup.fake.dispose();
        }
      });

      test(`${name}: preflight failures exit 3 and change nothing`, async () => {
        for (const [what, change] of preflightFailures(h)) {
          const setup = setUpHost(h, change.facts ? { facts: change.facts, secrets: !change.noSecrets } : { secrets: !change.noSecrets });
          try {
            change.prepare?.(setup.fake);
            const r = await runOn(setup, h.script, []);
            assert.equal(r.result.code, 3, `${what}: exit ${r.result.code}\n${r.result.stderr}`);
            assert.match(r.result.stderr, /FAILED/, what);
            assert.match(r.result.stderr, /preflight failed .*nothing was changed/, what);
            assert.deepEqual(r.result.mutations, [], `${what}: mutations`);
            assert.deepEqual(r.fsChanges, [], `${what}: files changed`);
            assert.equal(r.result.calls.length, 0, `${what}: a vendor script ran`);
          } finally {
            setup.fake.dispose();
          }
        }
      });

      const target = failureTarget(h);
      test(`${name}: ${target ?? 'a vendor script'} failing mid-way stops the run; the next run resumes`, { skip: target === null }, async () => {
        const setup = setUpHost(h);
        try {
          const failed = await runOn(setup, h.script, [], { FAKEHOST_FAIL: target! });
          assert.equal(failed.result.code, 1, failed.result.stderr);
          const reports = stepReports(failed.result);
          const failedStep = [...reports].find(([, r]) => r.includes('FAILED'))?.[0];
          assert.ok(failedStep, `no step reported FAILED:\n${failed.result.stderr}`);
          assert.match(failed.result.stderr, /run the script again/);
          const done = h.host.steps.slice(0, h.host.steps.findIndex((s) => s.id === failedStep)).filter((s) => s.stage === 'install').map((s) => s.id);
          const pending = await runOn(setup, h.script, ['--check']);
          assert.equal(pending.result.code, 2, 'after the failure, --check reports changes pending');
          assert.deepEqual(stepReports(pending.result).get(failedStep), ['pending']);
          const resumed = await runOn(setup, h.script, []);
          assert.equal(resumed.result.code, 0, resumed.result.stderr);
          const again = stepReports(resumed.result);
          for (const id of done) assert.deepEqual(again.get(id), ['ok (already)'], `resumed run redid ${id}`);
          assert.deepEqual(again.get(failedStep), ['changing', 'changed']);
          const third = await runOn(setup, h.script, []);
          assert.equal(third.result.code, 0);
          assert.deepEqual(third.result.mutations, []);
          assert.deepEqual(third.fsChanges, []);
          assert.equal((await runOn(setup, h.script, ['--check'])).result.code, 0);
        } finally {
          setup.fake.dispose();
        }
      });
    }
  });
}

interface FailureCase {
  facts?: Partial<HostFacts>;
  noSecrets?: boolean;
  prepare?: (fake: FakeHost) => void;
}

/** Every preflight check this host has, each made to fail on its own. */
function preflightFailures(h: BundleHost): [string, FailureCase][] {
  const p = h.host.preflight;
  const cases: [string, FailureCase][] = [
    ['Debian 12 instead of Ubuntu 24.04', { facts: { osId: 'debian', osVersionId: '12' } }],
    ['Ubuntu 22.04', { facts: { osVersionId: '22.04' } }],
    ['none of its addresses on an interface', { facts: { addresses: ['198.18.0.7'] } }],
    ['time not synchronised', { facts: { ntpSynchronized: false } }],
    ['not root', { facts: { uid: 1000 } }],
    ['PostgreSQL installed', { facts: { packages: [...DEFAULT_FACTS.packages, 'postgresql'] } }],
  ];
  if (p.cpus) cases.push([`${p.cpus - 1} CPUs`, { facts: { cpus: p.cpus - 1 } }]);
  if (p.memoryGb) cases.push([`${p.memoryGb / 2} GB memory`, { facts: { memoryMib: p.memoryGb * 512 } }]);
  if (p.diskGb) cases.push([`${p.diskGb / 2} GB disk`, { facts: { diskKib: p.diskGb * 512 * 1024 } }]);
  for (const s of p.vendorScripts) {
    cases.push([`${s} missing`, { prepare: (fake) => rmSync(join(fake.hostPath(h.plan.paths.scripts), s)) }]);
  }
  if (p.secrets.length) cases.push(['the secret not provided', { noSecrets: true }]);
  return cases;
}

/** The vendor script to make fail: the first step's that runs one after the first step. */
function failureTarget(h: BundleHost): string | null {
  const withScript = h.host.steps.filter((s) => s.stage === 'install' && s.script);
  if (withScript.length) return withScript[0]!.script!;
  return h.host.steps.some((s) => s.kind === 'docker') ? 'install_docker.sh' : null;
}

describe('fake host: stand-ins and scripts beyond the happy path', () => {
  const cluster = bundles.find((b) => b.name === 'cluster');
  const host = (n: string) => cluster!.hosts.find((h) => h.host.hostname === n)!;

  test('another run holding the lock: exit 1, nothing changed', { skip: !cluster }, async () => {
    const setup = setUpHost(host('pbx-main'));
    try {
      setup.fake.writeFact('lock-busy', '');
      const r = await runOn(setup, host('pbx-main').script, []);
      assert.equal(r.result.code, 1);
      assert.match(r.result.stderr, /another pbxplan run holds/);
      assert.deepEqual(r.result.mutations, []);
    } finally {
      setup.fake.dispose();
    }
  });

  test('the IM token reaches im_ctl.sh as one argument, byte for byte', { skip: !cluster }, async () => {
    const h = host('im-server');
    const token = `a b'c"d$(touch x)\`e\`;f*${DUMMY_TOKEN}`;
    const setup = setUpHost(h, { token });
    try {
      const r = await runOn(setup, h.script, []);
      assert.equal(r.result.code, 0, r.result.stderr);
      const call = r.result.calls.find((c) => c[0]!.toString() === 'im_ctl.sh')!;
      assert.deepEqual(call[call.length - 1], Buffer.from(token));
      assert.doesNotMatch(r.result.stderr + r.result.stdout, /a b'c/, 'the token was printed');
    } finally {
      setup.fake.dispose();
    }
  });

  test('the vendor stand-ins reject what the real scripts reject', async () => {
    const fake = new FakeHost();
    try {
      const dir = fake.hostPath('/opt/portsip');
      const sh = (args: string[], env: Record<string, string> = {}) => spawnSync('/bin/sh', args, { cwd: dir, env: fake.env(env), encoding: 'utf8' });
      assert.equal(sh(['install_docker.sh']).status, 0);
      const cluster = ['-p', '/var/lib/portsip', '-a', '10.0.0.21', '-x', '10.0.0.10', '-i', 'portsip/pbx:22.3'];
      const ivr = sh(['cluster_ctl.sh', 'run', ...cluster, '-s', 'ivr-server-only', '-n', 'ivr-1']);
      assert.notEqual(ivr.status, 0, 'cluster_ctl.sh accepted ivr-server-only');
      assert.match(ivr.stderr, /unknown service type ivr-server-only/);
      const noName = sh(['cluster_ctl.sh', 'run', ...cluster, '-s', 'vr-server-only']);
      assert.notEqual(noName.status, 0);
      assert.match(noName.stderr, /option -n not specified/);
      assert.notEqual(sh(['cluster_ctl.sh', 'run', ...cluster, '-s', 'vr-server-only', '-n', 'vr-1', '-Z', 'x']).status, 0, 'an illegal option');
      assert.equal(sh(['sbc_ctl.sh', 'run', '-i', 'portsip/sbc:11']).status, 0, 'sbc_ctl.sh without -p exits 0 (E16)');
      assert.equal(sh(['pbx_ctl.sh', 'frobnicate']).status, 0, 'an unknown subcommand exits 0 (E16)');
      const noToken = sh(['im_ctl.sh', 'run', '-E', '-p', '/var/lib/portsip', '-a', '10.0.0.25', '-x', '10.0.0.10']);
      assert.notEqual(noToken.status, 0);
      assert.match(noToken.stderr, /option -t not specified/);
      const oldDf = sh(['dataflow_ctl.sh', 'run', '-a', '10.0.0.26', '-x', '10.0.0.10', '-i', 'portsip/pbx:22.2']);
      assert.notEqual(oldDf.status, 0, 'dataflow_ctl.sh accepted a 22.2 image');
      assert.match(oldDf.stderr, /22\.3 or later/);
      assert.equal(sh(['pbx_ctl.sh', 'run', '-p', '/var/lib/portsip', '-a', '10.0.0.10', '-i', 'portsip/pbx:22.3', '-f', '/srv/none']).status, 1, '-f must exist');
      const wrongDir = spawnSync('/bin/sh', [join(dir, 'pbx_ctl.sh'), 'status'], { cwd: fake.root, env: fake.env(), encoding: 'utf8' });
      assert.notEqual(wrongDir.status, 0, 'a vendor stand-in ran outside its directory');
      const failing = sh(['pbx_ctl.sh', 'run', '-p', '/var/lib/portsip', '-a', '10.0.0.10', '-i', 'portsip/pbx:22.3'], { FAKEHOST_FAIL: 'pbx_ctl.sh:run' });
      assert.equal(failing.status, 1);
      assert.ok(fake.calls().length >= 10, 'every call is in the argv log');
      assert.equal(spawnSync('/bin/sh', ['-c', 'df -P -k /'], { env: fake.env(), encoding: 'utf8' }).status, 99, 'df outside the fake root');
    } finally {
      fake.dispose();
    }
  });

  test('stand-ins refuse to run without a fake root', () => {
    const r = spawnSync('/bin/sh', [join(STANDINS, 'pkg', 'docker'), 'ps'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(r.status, 99);
  });
});
