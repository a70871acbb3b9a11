// What happens on a host around the vendor scripts (issue #11, the items left after the first
// round): the site registry login, the offline path without a registry, pinned scripts, restarts
// as the guides order them, and the HA control flow. Each test runs golden bundles on the fake
// host (test/fakehost, docs/fakehost.md) or compiles a fixture variant.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { bundleHosts, copyBundle, DUMMY_TOKEN, goldenBundles, setUpHost } from './fakehost/bundle.js';
import { cycleProblems, runCycle, runOn, stepReports } from './fakehost/cycle.js';
import { FakeHost } from './fakehost/fakehost.js';
import { createToolchain } from '../src/index.js';
import { compileFixture, FIXTURES, writeTree } from './golden.js';

const bundles = goldenBundles(FIXTURES).map((b) => ({ ...b, hosts: bundleHosts(b.dir) }));
const byName = (n: string) => bundles.find((b) => b.name === n)!;
const hostOf = (b: string, n: string) => byName(b).hosts.find((h) => h.host.hostname === n)!;

describe('the site registry login', () => {
  test('the stand-ins: a site registry answers pulls only after a login; -U/-P log in with the password on docker\'s command line', () => {
    const fake = new FakeHost();
    try {
      const dir = fake.hostPath('/opt/portsip');
      const sh = (script: string, input?: string) => spawnSync('/bin/sh', ['-c', script], { cwd: dir, env: fake.env(), encoding: 'utf8', ...(input === undefined ? {} : { input }) });
      assert.equal(sh('sh install_docker.sh').status, 0);
      fake.writeFact('registry-auth', 'reg.example:5000\n');
      const pbx = 'sh pbx_ctl.sh run -p /var/lib/portsip -a 10.0.0.10 -i reg.example:5000/portsip/pbx:22.3 -d reg.example:5000/portsip/postgresql:14.12';
      const denied = sh(pbx);
      assert.notEqual(denied.status, 0, 'a pull without a login');
      assert.match(denied.stderr, /unauthorized: authentication required/);
      const vendor = sh(`${pbx} -R reg.example:5000 -U deploy -P s3cret-pw`);
      assert.equal(vendor.status, 0, vendor.stderr);
      assert.ok(fake.mutations().includes('docker login -u deploy -p s3cret-pw reg.example:5000'), 'the vendor login puts -P on docker\'s command line');
      // A stored login is what a later pull uses, without -U/-P.
      const other = new FakeHost();
      try {
        const o = (script: string, input?: string) => spawnSync('/bin/sh', ['-c', script], { cwd: other.hostPath('/opt/portsip'), env: other.env(), encoding: 'utf8', ...(input === undefined ? {} : { input }) });
        assert.equal(o('sh install_docker.sh').status, 0);
        other.writeFact('registry-auth', 'reg.example:5000\n');
        const login = o('docker login --username deploy --password-stdin reg.example:5000', 's3cret-pw\n');
        assert.equal(login.status, 0, login.stderr);
        const r = o(pbx);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(!other.mutations().join('\n').includes('s3cret-pw'));
      } finally {
        other.dispose();
      }
    } finally {
      fake.dispose();
    }
  });

  test('each host logs in once with --password-stdin; no vendor call gets -U/-P; the password is on no command line', async () => {
    const hosts = byName('airgap').hosts.filter((h) => h.host.steps.some((s) => s.kind === 'vendor-run'));
    assert.ok(hosts.length >= 2);
    for (const h of hosts) {
      const setup = setUpHost(h);
      try {
        const r = await runOn(setup, setup.script, ['--yes']);
        const name = h.host.hostname;
        assert.equal(r.result.code, 0, `${name}: ${r.result.stderr}`);
        const logins = r.result.mutations.filter((m) => m.startsWith('docker login'));
        assert.deepEqual(logins, ['docker login --username deploy --password-stdin registry.example.test:5000'], `${name}: logins`);
        for (const call of r.result.calls.map((c) => c.map(String))) {
          assert.ok(!call.includes('-P') && !call.includes('-U'), `${name}: ${call.join(' ')} carries the registry login`);
        }
        // The fake host hands the same value to every secret; im_ctl.sh takes the IM token on its
        // command line (-t) by design, so its own line is left out.
        const others = r.result.mutations.filter((m) => !m.startsWith('im_ctl.sh '));
        assert.ok(!others.join('\n').includes(DUMMY_TOKEN), `${name}: the password reached a command line`);
        const again = await runOn(setup, setup.script, ['--yes']);
        assert.deepEqual(again.result.mutations, [], `${name}: run 2`);
      } finally {
        setup.fake.dispose();
      }
    }
  });

  test('the plan holds the login as a call with the password on standard input', () => {
    for (const h of byName('airgap').hosts.filter((x) => x.host.steps.some((s) => s.kind === 'vendor-run'))) {
      const login = h.host.steps.find((s) => s.kind === 'registry-login');
      assert.ok(login, `${h.host.hostname}: a registry-login step`);
      const call = login.calls![0] as unknown as { script: string; subcommand: string; argv: string[]; stdin: { label: string } };
      assert.deepEqual([call.script, call.subcommand, ...call.argv], ['docker', 'login', '--username', 'deploy', '--password-stdin', 'registry.example.test:5000']);
      assert.equal(call.stdin.label, 'registry password');
    }
  });
});

describe('offline without a site registry or mirror: the bundle brings its own', () => {
  test('airgap-loopback converges with --offline: its registry on 127.0.0.1 answers the vendor pulls', async () => {
    const b = byName('airgap-loopback');
    assert.ok(b.hosts.length >= 2);
    for (const h of b.hosts) {
      const kinds = h.host.steps.map((s) => s.kind);
      assert.ok(kinds.includes('local-registry') && kinds.includes('registry-mirror'), `${h.host.hostname}: ${kinds.join(' ')}`);
      const c = await runCycle(h, { offline: true });
      try {
        assert.deepEqual(cycleProblems(c), [], `${h.host.hostname} offline:\n${c.run1.result.stderr}`);
        const pushes = c.run1.result.mutations.filter((m) => m.startsWith('docker push 127.0.0.1:5000/'));
        assert.ok(pushes.length >= 1, `${h.host.hostname}: the bundled images are pushed into the loopback registry`);
      } finally {
        c.setup.fake.dispose();
      }
    }
  });

  test('without the loopback registry, the same host fails at the vendor pull offline', async () => {
    const h = hostOf('airgap-loopback', 'media-1');
    const setup = setUpHost(h, { offline: true });
    try {
      // Skip the registry steps: the vendor script's pull then meets Docker Hub, unreachable.
      for (const id of ['vendor-scripts', 'debs']) assert.equal((await runOn(setup, setup.script, ['--yes', '--only', id])).result.code, 0);
      const r = await runOn(setup, setup.script, ['--yes', '--only', 'media-server']);
      assert.equal(r.result.code, 1, r.result.stderr);
      assert.match(r.result.stderr, /cannot pull portsip\/pbx:22\.3 from Docker Hub/);
    } finally {
      setup.fake.dispose();
    }
  });

  test('install_docker.sh is never called where the bundled packages install Docker', () => {
    for (const b of bundles) {
      for (const h of b.hosts.filter((x) => x.host.steps.some((s) => s.kind === 'debs'))) {
        assert.ok(!h.host.steps.some((s) => s.kind === 'docker'), `${b.name}/${h.host.hostname}: a docker step beside the bundled packages`);
      }
    }
  });

  test('artifact mode without the registry image fails with a positioned error naming the file to add', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbxplan-loopback-'));
    try {
      cpSync(join(FIXTURES, 'airgap-loopback', 'artifacts'), join(dir, 'artifacts'), { recursive: true });
      cpSync(join(FIXTURES, 'airgap-loopback', 'spec.yaml'), join(dir, 'spec.yaml'));
      rmSync(join(dir, 'artifacts', 'images', 'registry_2.tar'));
      const out = compileFixture(dir, createToolchain());
      assert.ok(!out.has('plan.json'), 'nothing is written');
      const text = out.get('diagnostics.txt') ?? '';
      assert.match(text, /error\[release_registry_missing\][^\n]*registry image \(artifacts\/images\/registry_2\.tar\)/);
      assert.match(text, /--> spec\.yaml:13:1/);
      assert.match(text, /hint: add it: on a machine with Docker, docker pull registry:2 && docker save registry:2 -o artifacts\/images\/registry_2\.tar/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pinned control scripts', () => {
  test('the plan pins the known v22.x@51586c7 hashes by default, and release.scripts overrides them', () => {
    const pbx = hostOf('standalone', 'pbx');
    assert.equal(pbx.host.preflight.scriptPins?.revision, 'v22.x@51586c7');
    assert.deepEqual(pbx.host.preflight.scriptPins?.scripts.find((s) => s.script === 'pbx_ctl.sh')?.sha256, '1962db307a9238feb59f06e05d6795d11113575db113dba679d7afb7cea3b056');
    const dir = mkdtempSync(join(tmpdir(), 'pbxplan-pins-'));
    try {
      const text = readFileSync(join(FIXTURES, 'standalone', 'spec.yaml'), 'utf8').replace(/^release:\n/m, `release:\n  scripts:\n    revision: site-2026-01\n    sha256: { pbx_ctl.sh: ${'a'.repeat(64)} }\n`);
      writeFileSync(join(dir, 'spec.yaml'), text);
      const out = compileFixture(dir, createToolchain());
      const plan = JSON.parse(out.get('plan.json') ?? 'null') as { hosts: { preflight: { scriptPins: unknown } }[] } | null;
      assert.ok(plan, out.get('diagnostics.txt'));
      assert.deepEqual(plan.hosts[0]!.preflight.scriptPins, { revision: 'site-2026-01', scripts: [{ script: 'pbx_ctl.sh', sha256: 'a'.repeat(64) }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the preflight says which revision it found; another script stops it (exit 3, nothing changed)', async () => {
    const h = hostOf('cluster', 'media-server-1');
    const setup = setUpHost(h);
    try {
      const ok = await runOn(setup, setup.script, ['--check']);
      assert.match(ok.result.stderr, /preflight: control scripts in \S+ are revision v22\.x@51586c7 \(sha256 checked\): ok/);
      const script = setup.fake.hostPath(`${h.plan.paths.scripts}/cluster_ctl.sh`);
      writeFileSync(script, readFileSync(script, 'utf8') + '# a different revision\n');
      const r = await runOn(setup, setup.script, ['--yes']);
      assert.equal(r.result.code, 3, r.result.stderr);
      assert.match(r.result.stderr, /preflight: cluster_ctl\.sh is revision v22\.x@51586c7: FAILED \(found another revision: sha256 [0-9a-f]{64}/);
      assert.deepEqual(r.result.mutations, []);
      assert.deepEqual(r.fsChanges, []);
    } finally {
      setup.fake.dispose();
    }
  });

  test('without artifacts, the runbook says where to get the pinned revision', () => {
    const md = readFileSync(join(FIXTURES, 'cluster', 'expected', 'RUNBOOK.md'), 'utf8');
    assert.match(md, /revision `v22\.x@51586c7`/);
    assert.match(md, /portsip\/portsip-pbx-sh[^\n]*\n?[^\n]*51586c7/);
  });
});

describe('restarts as the guides order them', () => {
  /** The cluster fixture with one more media server, compiled into a bundle directory. */
  function withMoreServers(dir: string): string {
    const text = readFileSync(join(FIXTURES, 'cluster', 'spec.yaml'), 'utf8').replace(/^servers:\n/m, 'servers:\n  - { role: media, name: media-server-9, privateIp: 192.168.1.29 }\n');
    writeFileSync(join(dir, 'spec.yaml'), text);
    const out = compileFixture(dir, createToolchain());
    assert.ok(out.has('plan.json'), out.get('diagnostics.txt'));
    writeTree(join(dir, 'bundle'), out);
    return join(dir, 'bundle');
  }

  test('servers added later re-arm the load balancer and the servers, not the PBX; --redo repeats a restart on purpose', async () => {
    const h = hostOf('cluster', 'pbx-main');
    const dir = mkdtempSync(join(tmpdir(), 'pbxplan-restarts-'));
    const setup = setUpHost(h);
    try {
      const first = await runOn(setup, setup.script, ['--yes']);
      assert.equal(first.result.code, 0, first.result.stderr);
      const r1 = await runOn(setup, setup.script, ['--yes', '--only', 'restart']);
      assert.deepEqual(r1.result.mutations.filter((m) => m.startsWith('pbx_ctl.sh restart')), ['pbx_ctl.sh restart', 'pbx_ctl.sh restart -s loadbalancer'], 'first install: PBX, then the load balancer');
      // The same site with one more server: the new bundle's PBX host script.
      const scaled = bundleHosts(withMoreServers(dir)).find((x) => x.host.hostname === 'pbx-main')!;
      const bundle = copyBundle(setup.fake, scaled.bundleDir, '/root/pbxplan-bundle-scaled');
      const script = join(bundle, scaled.host.script);
      const install = await runOn(setup, script, ['--yes']);
      assert.equal(install.result.code, 0, install.result.stderr);
      const r2 = await runOn(setup, script, ['--yes', '--only', 'restart']);
      assert.equal(r2.result.code, 0, r2.result.stderr);
      const reports = stepReports(r2.result);
      assert.deepEqual(reports.get('restart-pbx'), ['ok (already)'], 'the PBX is not restarted for a new server');
      assert.deepEqual(reports.get('restart-loadbalancer')?.slice(0, 2), ['changing', 'changed']);
      assert.deepEqual(r2.result.mutations.filter((m) => m.startsWith('pbx_ctl.sh restart')), ['pbx_ctl.sh restart -s loadbalancer']);
      // --redo: a done restart again, on purpose (a PBX restart after a certificate).
      const redo = await runOn(setup, script, ['--yes', '--redo', 'restart-pbx']);
      assert.equal(redo.result.code, 0, redo.result.stderr);
      assert.deepEqual(redo.result.mutations.filter((m) => m.startsWith('pbx_ctl.sh')), ['pbx_ctl.sh restart']);
      assert.deepEqual([...stepReports(redo.result).keys()], ['restart-pbx'], 'nothing else runs');
      const wrong = await runOn(setup, script, ['--redo', 'pbx']);
      assert.equal(wrong.result.code, 64, 'an install step cannot be redone');
      assert.match(wrong.result.stderr, /--redo takes a restart step \(restart-pbx restart-loadbalancer\)/);
    } finally {
      setup.fake.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in the plan: the PBX restart is keyed to its address and image, the others to the membership', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbxplan-restarts-'));
    try {
      const scaled = JSON.parse(readFileSync(join(withMoreServers(dir), 'plan.json'), 'utf8')) as { hosts: { hostname: string; steps: { id: string; fingerprint?: string }[] }[] };
      const print = (p: typeof scaled, host: string, id: string) => p.hosts.find((x) => x.hostname === host)!.steps.find((s) => s.id === id)!.fingerprint;
      const before = h0();
      assert.equal(print(scaled, 'pbx-main', 'restart-pbx'), print(before, 'pbx-main', 'restart-pbx'));
      assert.notEqual(print(scaled, 'pbx-main', 'restart-loadbalancer'), print(before, 'pbx-main', 'restart-loadbalancer'));
      assert.notEqual(print(scaled, 'media-server-1', 'restart-media-server'), print(before, 'media-server-1', 'restart-media-server'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    function h0() {
      return JSON.parse(readFileSync(join(FIXTURES, 'cluster', 'expected', 'plan.json'), 'utf8')) as { hosts: { hostname: string; steps: { id: string; fingerprint?: string }[] }[] };
    }
  });
});

describe('AWS', () => {
  test('the seed AWS topology compiles without extended-server instance ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbxplan-aws-'));
    try {
      const text = readFileSync(join(FIXTURES, 'ha-aws', 'spec.yaml'), 'utf8');
      const servers = text.slice(text.search(/^servers:/m));
      const stripped = text.slice(0, text.search(/^servers:/m)) + servers.replace(/,? *instanceId: *i-[0-9a-f]+,?/g, (m) => (m.startsWith(',') && m.endsWith(',') ? ',' : '')).replace(/^\s*instanceId:.*\n/gm, '');
      assert.notEqual(stripped, text, 'the fixture names extended-server instance ids');
      writeFileSync(join(dir, 'spec.yaml'), stripped);
      const out = compileFixture(dir, createToolchain());
      assert.ok(out.has('plan.json'), out.get('diagnostics.txt'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
