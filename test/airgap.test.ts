// The air-gapped bundle end to end, through the built binary: artifacts copied in and listed in
// manifest.json and SHA256SUMS, the reproducible archive, `pbxplan verify` and verify.sh, the
// host scripts' own integrity check, missing artifacts, and secrets that never reach the bundle.
// The artifacts are small stand-in files made here, never vendor files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, fixtureDirs, fixtureOptions, listFiles } from './golden.js';
import { makeArtifacts } from './stand-ins.js';

const BIN = join(REPO, 'dist', 'cli', 'main.js');
const SPEC = join(FIXTURES, 'airgap', 'spec.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-airgap-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}, cwd?: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY, NO_COLOR: '1', ...env },
    ...(cwd ? { cwd } : {}),
  });
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const ARTIFACTS = makeArtifacts(join(tmp, 'artifacts'));

function compileTo(out: string, extra: string[] = [], env: Record<string, string> = {}, spec = SPEC) {
  return run(['compile', spec, '-o', out, '--today', GOLDEN_TODAY, ...extra], env);
}

// One good bundle and archive, shared by the tests below (each copies before damaging).
const GOOD = join(tmp, 'one', 'bundle');
const GOOD_ARCHIVE = join(tmp, 'one', 'offline-site.tar.gz');
const first = compileTo(GOOD, ['--artifacts', ARTIFACTS, '--archive']);

test('compile --artifacts copies each artifact once and lists it in manifest.json and SHA256SUMS', () => {
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /wrote .*offline-site\.tar\.gz \(\d+ bytes, sha256 [0-9a-f]{64}\)/);
  const files = listFiles(GOOD).map((f) => f.slice(GOOD.length + 1));
  const artifacts = files.filter((f) => f.startsWith('artifacts/'));
  // Five control scripts (the bundled packages replace install_docker.sh), four images, seven debs.
  assert.equal(artifacts.length, 5 + 4 + 7, artifacts.join('\n'));
  assert.ok(!files.includes('artifacts/README.txt'), 'files no host needs stay out');
  const manifest = JSON.parse(readFileSync(join(GOOD, 'manifest.json'), 'utf8')) as { files: { path: string; size: number; sha256: string; mode: string }[] };
  const pbxImage = manifest.files.find((f) => f.path === 'artifacts/images/portsip_pbx_22.3.tar')!;
  const source = readFileSync(join(ARTIFACTS, 'images/portsip_pbx_22.3.tar'));
  assert.deepEqual([pbxImage.size, pbxImage.sha256, pbxImage.mode], [source.length, sha256(source), '0644']);
  const sums = readFileSync(join(GOOD, 'SHA256SUMS'), 'utf8');
  for (const f of files.filter((x) => x !== 'SHA256SUMS')) assert.ok(sums.includes(`  ${f}\n`), f);
  // The host scripts check exactly their own files.
  const im = readFileSync(join(GOOD, 'hosts/im-1/install.sh'), 'utf8');
  assert.match(im, /^readonly BUNDLE_FILES=\(hosts\/im-1\/install\.sh artifacts\/scripts\/im_ctl\.sh artifacts\/images\/portsip_pbx_22\.3\.tar artifacts\/images\/portsip_postgresql_14\.12\.tar /m);
  assert.doesNotMatch(im, /portsip_sbc_11|sbc_ctl/);
});

test('the archive is reproducible: same inputs in other directories give the same sha256', () => {
  const other = join(tmp, 'two', 'elsewhere', 'named-differently');
  const r = compileTo(other, ['--artifacts', ARTIFACTS, '--archive']);
  assert.equal(r.status, 0, r.stderr);
  const a = readFileSync(GOOD_ARCHIVE);
  const b = readFileSync(join(tmp, 'two', 'elsewhere', 'offline-site.tar.gz'));
  assert.equal(sha256(b), sha256(a));
  // An artifacts directory elsewhere with the same files changes nothing either.
  const moved = join(tmp, 'artifacts-copy');
  cpSync(ARTIFACTS, moved, { recursive: true });
  const c = compileTo(join(tmp, 'three', 'b'), ['--artifacts', moved, '--archive']);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(sha256(readFileSync(join(tmp, 'three', 'offline-site.tar.gz'))), sha256(a));
  // And the archive holds exactly the directory, under the cluster's name.
  const x = join(tmp, 'extracted');
  mkdirSync(x);
  assert.equal(spawnSync('tar', ['-xzf', GOOD_ARCHIVE, '-C', x]).status, 0);
  assert.deepEqual(readdirSync(x), ['offline-site']);
  const v = spawnSync('bash', [join(x, 'offline-site', 'verify.sh')], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  for (const f of listFiles(GOOD)) assert.ok(readFileSync(f).equals(readFileSync(join(x, 'offline-site', f.slice(GOOD.length + 1)))), f);
});

test('an intact bundle verifies, as a directory and as an archive, with pbxplan verify and verify.sh', () => {
  for (const p of [GOOD, GOOD_ARCHIVE]) {
    const r = run(['verify', p]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /intact \(\d+ files\)/);
  }
  const v = spawnSync(join(GOOD, 'verify.sh'), { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

function damagedCopy(name: string, damage: (dir: string) => void): string {
  const dir = join(tmp, 'damaged', name);
  cpSync(GOOD, dir, { recursive: true });
  damage(dir);
  return dir;
}

const flipByte = (file: string, at = 100) => {
  const b = readFileSync(file);
  b[at] = b[at]! ^ 0x01;
  writeFileSync(file, b);
};

test('a flipped byte, a removed file and an added file each make verify exit 4 and name the file', () => {
  const cases: [string, (d: string) => void, RegExp][] = [
    ['flipped', (d) => flipByte(join(d, 'artifacts/images/portsip_pbx_22.3.tar')), /^bad: artifacts\/images\/portsip_pbx_22\.3\.tar /m],
    ['removed', (d) => rmSync(join(d, 'artifacts/scripts/pbx_ctl.sh')), /^missing: artifacts\/scripts\/pbx_ctl\.sh$/m],
    ['added', (d) => writeFileSync(join(d, 'hosts/pbx/notes.txt'), 'x'), /^extra: hosts\/pbx\/notes\.txt /m],
  ];
  for (const [name, damage, re] of cases) {
    const dir = damagedCopy(name, damage);
    const r = run(['verify', dir]);
    assert.equal(r.status, 4, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, re, name);
    const v = spawnSync(join(dir, 'verify.sh'), { encoding: 'utf8' });
    assert.equal(v.status, 4, `${name} (verify.sh): ${v.stdout}${v.stderr}`);
    assert.match(v.stdout, re, `${name} (verify.sh)`);
    // Re-packed as an archive (by the system's tar), the same damage is named the same way.
    const archive = join(tmp, 'damaged', `${name}.tar.gz`);
    const root = join(tmp, 'damaged', `${name}-root`);
    mkdirSync(root);
    renameSync(dir, join(root, 'offline-site'));
    assert.equal(spawnSync('tar', ['--format=ustar', '-czf', archive, '-C', root, 'offline-site']).status, 0);
    const a = run(['verify', archive]);
    assert.equal(a.status, 4, `${name} (archive): ${a.stdout}${a.stderr}`);
    assert.match(a.stdout, re, `${name} (archive)`);
  }
});

test('a flipped byte in the archive itself is reported as damage, not a crash', () => {
  const copy = join(tmp, 'flipped.tar.gz');
  cpSync(GOOD_ARCHIVE, copy);
  flipByte(copy, Math.floor(readFileSync(copy).length / 2));
  const r = run(['verify', copy]);
  assert.equal(r.status, 4, r.stdout + r.stderr);
  assert.match(r.stdout, /^(damaged|bad): /m);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const t = join(tmp, 'truncated.tar.gz');
  writeFileSync(t, readFileSync(GOOD_ARCHIVE).subarray(0, 5000));
  assert.equal(run(['verify', t]).status, 4);
  assert.equal(run(['verify', join(tmp, 'no-such-bundle')]).status, 2);
});

test('a host script refuses to run on a damaged bundle: exit 3, before the preflight, naming the file', () => {
  const dir = damagedCopy('host-check', (d) => flipByte(join(d, 'artifacts/images/portsip_postgresql_14.12.tar')));
  for (const h of ['pbx', 'im-1']) {
    const r = spawnSync('bash', [join(dir, 'hosts', h, 'install.sh'), '--check'], { encoding: 'utf8', env: { ...process.env, PBXPLAN_ROOT: join(tmp, 'no-root') } });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /integrity: artifacts\/images\/portsip_postgresql_14\.12\.tar does not match SHA256SUMS/);
    assert.doesNotMatch(r.stderr, /preflight:/);
  }
  // A host that does not use the damaged file is not stopped by it.
  const sbc = spawnSync('bash', [join(dir, 'hosts', 'sbc-1', 'install.sh'), '--check'], { encoding: 'utf8' });
  assert.doesNotMatch(sbc.stderr, /integrity:/);
  // Copying the script alone is refused as well.
  const alone = join(tmp, 'alone', 'hosts', 'pbx');
  mkdirSync(alone, { recursive: true });
  cpSync(join(GOOD, 'hosts', 'pbx', 'install.sh'), join(alone, 'install.sh'));
  const a = spawnSync('bash', [join(alone, 'install.sh'), '--check'], { encoding: 'utf8' });
  assert.equal(a.status, 3);
  assert.match(a.stderr, /SHA256SUMS is missing: copy the whole bundle/);
});

test('missing artifacts: one artifact_missing each, exit 1, nothing written', () => {
  const partial = makeArtifacts(join(tmp, 'partial'), ['scripts/sbc_ctl.sh', 'images/portsip_clickhouse_25.8.tar', 'debs/firewalld_2.1.1-1_all.deb']);
  const out = join(tmp, 'missing', 'bundle');
  const r = compileTo(out, ['--artifacts', partial, '--archive', '--format', 'short']);
  assert.equal(r.status, 1, r.stderr);
  const codes = r.stderr.split('\n').filter((l) => l.includes('[artifact_missing]'));
  assert.equal(codes.length, 3, r.stderr);
  assert.match(r.stderr, /scripts\/sbc_ctl\.sh is missing .*\(used by sbc-1\)/);
  assert.match(r.stderr, /images\/portsip_clickhouse_25\.8\.tar is missing/);
  assert.match(r.stderr, /debs\/firewalld_\*\.deb is missing/);
  assert.ok(!existsSync(join(tmp, 'missing')), 'nothing written, not even the parent directory');
});

test('--allow-missing: warnings, the bundle without them, and a "Still to obtain" list in the runbook', () => {
  const partial = makeArtifacts(join(tmp, 'partial2'), ['images/portsip_sbc_11.tar']);
  const out = join(tmp, 'allow', 'bundle');
  const r = compileTo(out, ['--artifacts', partial, '--allow-missing']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning\[artifact_missing\]: image tarball images\/portsip_sbc_11\.tar is missing/);
  const runbook = readFileSync(join(out, 'RUNBOOK.md'), 'utf8');
  assert.match(runbook, /### Still to obtain[\s\S]*- \[ \] `images\/portsip_sbc_11\.tar` \(image tarball; sbc-1\): on a machine that has the image: docker save/);
  const sbc = readFileSync(join(out, 'hosts/sbc-1/install.sh'), 'utf8');
  assert.doesNotMatch(sbc, /image-portsip_sbc_11/, 'no step for an artifact the bundle lacks');
  assert.equal(run(['verify', out]).status, 0);
  assert.equal(compileTo(join(tmp, 'allow', 'strict'), ['--artifacts', partial, '--allow-missing', '--strict']).status, 1, '--strict makes the warnings errors');
});

test('two versions of one package are refused (artifact_ambiguous); odd file names and misused options are usage errors', () => {
  const dir = makeArtifacts(join(tmp, 'ambiguous'));
  writeFileSync(join(dir, 'debs', 'docker-ce_5%3a26.1.0-1~ubuntu.24.04~noble_amd64.deb'), 'older');
  const r = compileTo(join(tmp, 'amb-out'), ['--artifacts', dir, '--format', 'short']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error\[artifact_ambiguous\] \(root\): 2 files in .*debs match the package docker-ce/);
  const odd = makeArtifacts(join(tmp, 'odd'));
  writeFileSync(join(odd, 'debs', 'docker-ce (1).deb'), 'x');
  const o = compileTo(join(tmp, 'odd-out'), ['--artifacts', odd]);
  assert.equal(o.status, 2);
  assert.match(o.stderr, /^pbxplan: .*docker-ce \(1\)\.deb: unsupported file name/);
  for (const args of [['--allow-missing'], ['--artifacts', join(tmp, 'does-not-exist')]]) {
    const u = compileTo(join(tmp, 'usage-out'), args);
    assert.equal(u.status, 2, args.join(' '));
    assert.doesNotMatch(u.stderr, /\n\s+at /);
  }
  assert.equal(run(['validate', SPEC, '--archive']).status, 2);
  assert.ok(!existsSync(join(tmp, 'amb-out')) && !existsSync(join(tmp, 'odd-out')) && !existsSync(join(tmp, 'usage-out')));
});

test('--archive refuses to replace an existing archive without --force', () => {
  const out = join(tmp, 'one', 'again');
  const r = compileTo(out, ['--artifacts', ARTIFACTS, '--archive']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /offline-site\.tar\.gz exists; use --force/);
  assert.ok(!existsSync(out));
  const f = compileTo(out, ['--artifacts', ARTIFACTS, '--archive', '--force']);
  assert.equal(f.status, 0, f.stderr);
});

test('pbxplan artifacts lists what the site must carry, as text and as JSON, and checks a directory', () => {
  const t = run(['artifacts', SPEC, '--today', GOLDEN_TODAY]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^images\/portsip_pbx_22\.3\.tar +pbx, media-1, im-1, df-1$/m);
  assert.match(t.stdout, /^debs\/docker-compose-plugin_\*\.deb +every host \(5\)$/m);
  const j = run(['artifacts', SPEC, '--format', 'json', '--today', GOLDEN_TODAY]);
  const doc = JSON.parse(j.stdout) as { formatVersion: number; artifacts: { id: string; path: string; hosts: string[]; state: string }[] };
  assert.equal(doc.formatVersion, 1);
  assert.deepEqual(doc.artifacts.find((a) => a.id === 'vendor-script:sbc_ctl.sh'), { ...doc.artifacts.find((a) => a.id === 'vendor-script:sbc_ctl.sh')!, path: 'scripts/sbc_ctl.sh', hosts: ['sbc-1'], state: 'external' });
  const ok = run(['artifacts', SPEC, '--artifacts', ARTIFACTS, '--today', GOLDEN_TODAY]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^\[ok\] +scripts\/pbx_ctl\.sh/m);
  const partial = makeArtifacts(join(tmp, 'partial3'), ['scripts/pbx_ctl.sh']);
  const miss = run(['artifacts', SPEC, '--artifacts', partial, '--today', GOLDEN_TODAY]);
  assert.equal(miss.status, 1);
  assert.match(miss.stdout, /^\[missing\] scripts\/pbx_ctl\.sh/m);
});

test('secrets planted in the environment and in the referenced file appear nowhere in the bundle, archive or output', () => {
  const REGISTRY_PASSWORD = 'Reg1stry-Pa55w0rd-3f9e1c';
  const IM_TOKEN = 'im-T0ken-8b7a6c5d4e3f2a1b';
  const tokenFile = join(tmp, 'secrets', 'im.token');
  mkdirSync(join(tmp, 'secrets'));
  writeFileSync(tokenFile, IM_TOKEN + '\n', { mode: 0o600 });
  const spec = join(tmp, 'secrets', 'spec.yaml');
  writeFileSync(spec, readFileSync(SPEC, 'utf8').replace('tokenRef: { file: /root/im.token }', `tokenRef: { file: ${tokenFile} }`));
  const out = join(tmp, 'secrets', 'bundle');
  const r = compileTo(out, ['--artifacts', ARTIFACTS, '--archive'], { PBXPLAN_REGISTRY_PASSWORD: REGISTRY_PASSWORD }, spec);
  assert.equal(r.status, 0, r.stderr);
  const archive = readFileSync(join(tmp, 'secrets', 'offline-site.tar.gz'));
  const haystacks: [string, Buffer][] = [
    ...listFiles(out).map((f) => [f, readFileSync(f)] as [string, Buffer]),
    ['archive (unpacked)', gunzipSync(archive)],
    ['archive', archive],
    ['stdout', Buffer.from(r.stdout)],
    ['stderr', Buffer.from(r.stderr)],
  ];
  assert.ok(haystacks.length > 20);
  for (const [where, body] of haystacks) {
    for (const secret of [REGISTRY_PASSWORD, IM_TOKEN]) assert.ok(!body.includes(secret), `${secret} found in ${where}`);
  }
  // The scripts name where the secrets are read, which is what must be there instead.
  const im = readFileSync(join(out, 'hosts/im-1/install.sh'), 'utf8');
  assert.match(im, /read_secret env PBXPLAN_REGISTRY_PASSWORD/);
  assert.ok(im.includes(`read_secret file ${tokenFile}`));
});

test('every golden bundle, written by the CLI, is intact: as a directory, its archive, and re-packed as pax and GNU tar', () => {
  const bundles = fixtureDirs().filter((d) => existsSync(join(d, 'expected', 'manifest.json')));
  assert.ok(bundles.length >= 10, `found only ${bundles.length} golden bundles`);
  for (const fixture of bundles) {
    const name = fixture.slice(FIXTURES.length + 1).replace(/\//g, '-');
    const out = join(tmp, 'goldens', name, 'bundle');
    const artifacts = join(fixture, 'artifacts');
    const extra = [...(existsSync(artifacts) ? ['--artifacts', artifacts] : []), ...(fixtureOptions(fixture).ansible ? ['--ansible'] : [])];
    const c = compileTo(out, [...extra, '--archive'], {}, join(fixture, 'spec.yaml'));
    assert.equal(c.status, 0, `${name}: ${c.stderr}`);
    const archive = readdirSync(join(tmp, 'goldens', name)).find((f) => f.endsWith('.tar.gz'))!;
    const top = archive.replace(/\.tar\.gz$/, '');
    // The same bytes as the golden (the golden's files, less diagnostics.txt).
    const golden = listFiles(join(fixture, 'expected')).map((f) => f.slice(fixture.length + 'expected/'.length + 1)).filter((f) => f !== 'diagnostics.txt');
    assert.deepEqual(listFiles(out).map((f) => f.slice(out.length + 1)), golden, name);
    const pax = join(tmp, 'goldens', name, 'pax.tar.gz');
    const gnu = join(tmp, 'goldens', name, 'gnu.tar.gz');
    const root = join(tmp, 'goldens', name, 'root');
    mkdirSync(root);
    cpSync(out, join(root, top), { recursive: true, preserveTimestamps: true });
    assert.equal(spawnSync('tar', ['--format=posix', '--owner=0', '--group=0', '-czf', pax, '-C', root, top]).status, 0);
    assert.equal(spawnSync('tar', ['--format=gnu', '--owner=0', '--group=0', '-czf', gnu, '-C', root, top]).status, 0);
    for (const p of [out, join(tmp, 'goldens', name, archive), pax, gnu]) {
      const r = run(['verify', p]);
      assert.equal(r.status, 0, `${name}: ${p}: ${r.stdout}${r.stderr}`);
    }
    const v = spawnSync(join(out, 'verify.sh'), { encoding: 'utf8' });
    assert.equal(v.status, 0, `${name} (verify.sh): ${v.stdout}${v.stderr}`);
  }
});

test('the mirror merge keeps every other key of daemon.json and adds the mirror once', () => {
  const script = readFileSync(join(FIXTURES, 'airgap-mirror', 'expected', 'hosts', 'pbx', 'install.sh'), 'utf8');
  const merge = /merge_daemon_mirror\(\) \{[\s\S]*?<<'PY'\n([\s\S]*?)\nPY\n/.exec(script)?.[1];
  const has = /daemon_json_has_mirror\(\) \{[\s\S]*?<<'PY'\n([\s\S]*?)\nPY\n/.exec(script)?.[1];
  assert.ok(merge && has);
  const py = spawnSync('python3', ['--version']);
  if (py.status !== 0) return; // python3 is what the hosts use; without it here, nothing to run
  const file = join(tmp, 'daemon.json');
  const mirror = 'https://mirror.example.test:5000';
  writeFileSync(file, JSON.stringify({ 'log-driver': 'journald', 'registry-mirrors': ['https://other.example.test/'], 'insecure-registries': ['x.example.test'] }));
  const runPy = (code: string) => spawnSync('python3', ['-', file, mirror], { input: code, encoding: 'utf8' });
  assert.equal(runPy(has).status, 1);
  assert.equal(runPy(merge).status, 0);
  assert.equal(runPy(has).status, 0);
  const once = readFileSync(file, 'utf8');
  assert.equal(runPy(merge).status, 0);
  assert.equal(readFileSync(file, 'utf8'), once, 'a second merge changes nothing');
  assert.deepEqual(JSON.parse(once), { 'log-driver': 'journald', 'registry-mirrors': ['https://other.example.test/', mirror], 'insecure-registries': ['x.example.test'] });
  appendFileSync(file, 'not json');
  assert.notEqual(runPy(merge).status, 0, 'a broken daemon.json is left for a person to fix');
});

test('bundled control scripts of another revision than the pinned one are refused at compile time, naming file, revision and fix', () => {
  // Without release.scripts the pin is v22.x@51586c7, which the stand-in scripts are not.
  const spec = join(tmp, 'unpinned', 'spec.yaml');
  mkdirSync(join(tmp, 'unpinned'), { recursive: true });
  const text = readFileSync(SPEC, 'utf8');
  const unpinned = text.replace(/^  # The artifacts\/ scripts[\s\S]*?^ {6}install_docker\.sh: [0-9a-f]{64}\n/m, '');
  assert.notEqual(unpinned, text, 'the fixture pins its stand-in scripts');
  writeFileSync(spec, unpinned);
  const out = join(tmp, 'unpinned', 'out');
  const r = compileTo(out, ['--artifacts', ARTIFACTS], {}, spec);
  assert.equal(r.status, 1, r.stderr);
  // The terminal shows digests shortened, like every long hex run (it could be a secret elsewhere).
  assert.match(r.stderr, /error\[artifact_script_revision\]: scripts\/pbx_ctl\.sh in .* is not revision v22\.x@51586c7 of the control scripts \(its sha256 is b786…, v22\.x@51586c7 has 1962…\)/);
  assert.match(r.stderr, /hint: put revision v22\.x@51586c7's pbx_ctl\.sh there, or name the revision you bundle in the spec \(release\.scripts/);
  assert.equal([...r.stderr.matchAll(/error\[artifact_script_revision\]/g)].length, 5, 'each bundled script once');
  assert.ok(!existsSync(out), 'nothing written');
  // A pin naming a wrong digest points at that digest's line.
  const wrong = text.replace(/(pbx_ctl\.sh: )[0-9a-f]{64}/, `$1${'a'.repeat(64)}`);
  writeFileSync(spec, wrong);
  const w = compileTo(out, ['--artifacts', ARTIFACTS], {}, spec);
  assert.equal(w.status, 1, w.stderr);
  assert.match(w.stderr, /error\[artifact_script_revision\][^\n]*pbx_ctl\.sh[^\n]*\n\s+--> .*spec\.yaml:\d+:\d+/);
  assert.match(w.stderr, /at: release\.scripts\.sha256\["pbx_ctl\.sh"\]/);
});
