// Runs the shipped binary (package.json's bin: the bundled dist/bin/pbxplan.js, built by `npm test`
// and by `prepare`) as a user would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, fixtureOptions, readTree } from './golden.js';

const BIN = join(REPO, (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: { pbxplan: string } }).bin.pbxplan);
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY, NO_COLOR: '1' },
  });
}

test('the binary is built', () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run npm run build`);
});

test('compile writes exactly the golden bundle, with executable scripts', () => {
  const out = join(tmp, 'bundle');
  // The fixture's options.json asks for --ansible, as the golden runner compiles it.
  const r = run(['compile', join(FIXTURES, 'cluster', 'spec.yaml'), '-o', out, '--today', GOLDEN_TODAY, ...(fixtureOptions(join(FIXTURES, 'cluster')).ansible ? ['--ansible'] : [])]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /start with .*RUNBOOK\.md/);
  const expected = readTree(join(FIXTURES, 'cluster', 'expected'));
  expected.delete('diagnostics.txt');
  assert.deepEqual(readTree(out), expected);
  assert.equal(statSync(join(out, 'hosts', 'pbx-main', 'install.sh')).mode & 0o777, 0o755);
  assert.equal(statSync(join(out, 'RUNBOOK.md')).mode & 0o777, 0o644);
});

test('compile refuses a non-empty directory without --force; --force replaces an earlier bundle, never other files', () => {
  const out = join(tmp, 'occupied');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'x');
  const spec = join(FIXTURES, 'standalone', 'spec.yaml');
  const r = run(['compile', spec, '-o', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not empty; use --force/);
  const f = run(['compile', spec, '-o', out, '--force']);
  assert.equal(f.status, 2, f.stderr);
  assert.match(f.stderr, /--force replaces only an empty directory or an earlier pbxplan bundle/);
  assert.deepEqual(readdirSync(out), ['keep.txt']);
  // The quick start: --force on a fresh directory, then again on the bundle it wrote.
  const fresh = join(tmp, 'quick-start');
  for (let i = 0; i < 2; i++) {
    const q = run(['compile', join(REPO, 'examples', 'cluster.yaml'), '-o', fresh, '--force']);
    assert.equal(q.status, 0, q.stderr);
  }
  assert.ok(existsSync(join(fresh, 'RUNBOOK.md')));
});

test('compile --format json: the diagnostics document alone on stdout, the human lines on stderr', () => {
  const out = join(tmp, 'json-out');
  const r = run(['compile', join(FIXTURES, 'errors', 'im_chat_path_nested', 'spec.yaml'), '-o', out, '--format', 'json', '--today', GOLDEN_TODAY]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { formatVersion: number; valid: boolean; warningCount: number };
  assert.deepEqual([doc.formatVersion, doc.valid, doc.warningCount], [1, true, 1]);
  assert.match(r.stderr, /^wrote \d+ files/m);
  assert.doesNotMatch(r.stderr, /"formatVersion"/);
  const bad = run(['compile', join(FIXTURES, 'errors', 'schema_enum', 'spec.yaml'), '-o', join(tmp, 'json-bad'), '--format', 'json', '--today', GOLDEN_TODAY]);
  assert.equal(bad.status, 1);
  assert.equal((JSON.parse(bad.stdout) as { valid: boolean }).valid, false);
  assert.equal(bad.stderr, '');
});

const BAD: Record<string, RegExp> = {
  yaml_syntax: /spec\.yaml:15:57: error\[yaml_syntax\] servers\[1\]\.privateIp\[0\]/,
  yaml_duplicate_key: /spec\.yaml:17:5: error\[yaml_duplicate_key\] servers\[0\]\.privateIp/,
  schema_additional_property: /spec\.yaml:15:35: error\[schema_additional_property\] servers\[1\]\.privateIP: .*/,
  host_ip_duplicate: /spec\.yaml:15:46: error\[host_ip_duplicate\] servers\[1\]\.privateIp/,
  value_unsafe: /spec\.yaml:14:26: error\[value_unsafe\] servers\[0\]\.name/,
};

for (const [code, re] of Object.entries(BAD)) {
  test(`a spec with ${code} exits 1, names file:line:col and the YAML path, and writes nothing`, () => {
    const out = join(tmp, `bad-${code}`);
    const r = run(['compile', join(FIXTURES, 'errors', code, 'spec.yaml'), '-o', out, '--format', 'short', '--today', GOLDEN_TODAY]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/, 'no stack trace');
    assert.ok(!existsSync(out), 'nothing written');
    assert.deepEqual(readdirSync(tmp).filter((n) => n.includes('pbxplan-')), [], 'no temporary directory left');
  });
}

test('validate --format json lists every diagnostic in a versioned document', () => {
  const r = run(['validate', join(FIXTURES, 'errors', 'schema_enum', 'spec.yaml'), '--format', 'json', '--today', GOLDEN_TODAY]);
  assert.equal(r.status, 1);
  const doc = JSON.parse(r.stdout) as { formatVersion: number; valid: boolean; errorCount: number; diagnostics: { code: string }[] };
  assert.equal(doc.formatVersion, 1);
  assert.equal(doc.valid, false);
  assert.equal(doc.errorCount, doc.diagnostics.length);
  assert.ok(doc.diagnostics.every((d) => d.code === 'schema_enum'));
});

test('warnings pass, and fail under --strict', () => {
  const spec = join(FIXTURES, 'errors', 'im_chat_path_nested', 'spec.yaml');
  assert.equal(run(['validate', spec, '--today', GOLDEN_TODAY]).status, 0);
  assert.equal(run(['validate', spec, '--strict', '--today', GOLDEN_TODAY]).status, 1);
});

test('usage errors exit 2 with a message, never a stack trace', () => {
  for (const args of [['frobnicate'], ['compile', 'x.yaml'], ['validate'], ['validate', '/nonexistent.yaml'], ['compile', join(FIXTURES, 'cluster', 'spec.yaml'), '-o', join(tmp, 'x'), '--bogus'], ['validate', join(FIXTURES, 'cluster', 'spec.yaml'), '--today', 'tomorrow']]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^pbxplan: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

const COMMANDS = ['validate', 'compile', 'plan', 'artifacts', 'verify', 'trace', 'schema', 'explain', 'init', 'completion'];

test('every command has --help; the main help lists every command and --version', () => {
  for (const cmd of COMMANDS) {
    const r = run([cmd, '--help']);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, /^Usage: pbxplan /, cmd);
  }
  const h = run(['--help']);
  assert.equal(h.status, 0);
  for (const cmd of COMMANDS) assert.match(h.stdout, new RegExp(`^  ${cmd}\\b`, 'm'), cmd);
  assert.match(h.stdout, /-V, --version/);
  const v = run(['--version']);
  assert.match(v.stdout, /^pbxplan \d+\.\d+\.\d+\n$/);
});

test('init --topology: every starter spec compiles as it is, without a single finding', () => {
  for (const topology of ['single', 'cluster', 'ha-onprem', 'ha-aws']) {
    const init = run(['init', '--topology', topology]);
    assert.equal(init.status, 0, topology);
    const file = join(tmp, `init-${topology}.yaml`);
    writeFileSync(file, init.stdout);
    const c = run(['compile', file, '-o', join(tmp, `init-${topology}`), '--strict', '--format', 'json']);
    assert.equal(c.status, 0, `${topology}: ${c.stdout}${c.stderr}`);
    assert.equal((JSON.parse(c.stdout) as { diagnostics: unknown[] }).diagnostics.length, 0, topology);
  }
  assert.equal(run(['init']).stdout, run(['init', '--topology', 'cluster']).stdout, 'cluster is the default');
  assert.equal(run(['init', '--topology', 'mesh']).status, 2);
});

test('init prints a starter spec that compiles without findings', () => {
  const init = run(['init']);
  assert.equal(init.status, 0);
  const v = run(['validate', '-', '--today', GOLDEN_TODAY], init.stdout);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stderr, /^<stdin>: ok$/m);
});

test('completion: the bash script is valid bash (and shellcheck-clean), both name every command, and bash completes from it', (t) => {
  const bash = run(['completion', 'bash']);
  const zsh = run(['completion', 'zsh']);
  assert.equal(bash.status, 0, bash.stderr);
  assert.equal(zsh.status, 0, zsh.stderr);
  const file = join(tmp, 'pbxplan.bash');
  writeFileSync(file, bash.stdout);
  const n = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  assert.equal(n.status, 0, n.stderr);
  for (const cmd of COMMANDS) {
    assert.match(bash.stdout, new RegExp(`\\b${cmd}\\b`), `bash: ${cmd}`);
    assert.match(zsh.stdout, new RegExp(`'${cmd}:`), `zsh: ${cmd}`);
  }
  // Completing "pbxplan comp" and "pbxplan compile x --for" in a real bash.
  const complete = (line: string) => {
    const words = line.split(' ');
    const script = `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _pbxplan_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout.trim().split('\n');
  };
  assert.deepEqual(complete('pbxplan comp'), ['compile', 'completion']);
  assert.deepEqual(complete('pbxplan compile x.yaml --for'), ['--force', '--format']);
  assert.deepEqual(complete('pbxplan init --topology ha'), ['ha-onprem', 'ha-aws']);
  assert.ok(complete('pbxplan explain host_ip').includes('host_ip_duplicate'));
  assert.equal(run(['completion', 'fish']).status, 2);
  if (spawnSync('zsh', ['--version']).status === 0) {
    const zfile = join(tmp, '_pbxplan');
    writeFileSync(zfile, zsh.stdout);
    assert.equal(spawnSync('zsh', ['-n', zfile]).status, 0, 'zsh -n');
  }
  if (spawnSync('shellcheck', ['--version']).status !== 0) {
    assert.ok(process.env['REQUIRE_SHELLCHECK'] !== '1', 'shellcheck is not installed but REQUIRE_SHELLCHECK=1');
    t.diagnostic('shellcheck not installed: the bash completion script was checked with bash -n only');
    return;
  }
  const sc = spawnSync('shellcheck', ['--shell=bash', '--severity=style', file], { encoding: 'utf8' });
  assert.equal(sc.status, 0, sc.stdout);
});

test('plan prints plan.json and schema prints the JSON Schema', () => {
  const p = run(['plan', join(FIXTURES, 'cluster', 'spec.yaml'), '--today', GOLDEN_TODAY]);
  assert.equal(p.status, 0);
  assert.equal(p.stdout, readTree(join(FIXTURES, 'cluster', 'expected')).get('plan.json'));
  const s = run(['schema']);
  assert.equal(JSON.parse(s.stdout).$schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('the shipped example compiles without findings', () => {
  const r = run(['validate', join(REPO, 'examples', 'cluster.yaml')]);
  assert.equal(r.status, 0, r.stderr);
});

test('trace: a line of a step names the step and its spec lines; other lines and bad paths are clear errors', () => {
  const spec = join(FIXTURES, 'cluster', 'spec.yaml');
  const out = join(tmp, 'trace-bundle');
  assert.equal(run(['compile', spec, '-o', out, '--today', GOLDEN_TODAY]).status, 0);
  const script = join(out, 'hosts', 'pbx-main', 'install.sh');
  const lines = readFileSync(script, 'utf8').split('\n');
  const guard = lines.findIndex((l) => l.startsWith('step_2_guard()')) + 1;
  // The bundle found from the path; the spec lines with their text from --spec.
  const r = run(['trace', `${script}:${guard}`, '--spec', spec]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^hosts/pbx-main/install\\.sh:${guard}: step 2 "pbx" of host pbx-main: .* \\(lines \\d+–\\d+\\)\\n  spec\\.yaml:15  pbx\\.host +\\|   host: \\{ hostname: pbx-main, privateIp: 192\\.168\\.1\\.20 \\}\\n  spec\\.yaml:11  release\\.pbxImage +\\|   pbxImage: portsip/pbx:22\\n$`));
  // Relative to --bundle, as JSON.
  const j = run(['trace', 'RUNBOOK.md:1', '--bundle', out]);
  assert.equal(j.status, 1);
  assert.match(j.stderr, /^RUNBOOK\.md:1 belongs to no step or runbook item: it is in the section "banner", not in a runbook item \(lines 1–1\); its items are on lines \d+–\d+\n$/);
  const md = readFileSync(join(out, 'RUNBOOK.md'), 'utf8').split('\n');
  const item = md.findIndex((l) => l.startsWith('- [ ] **on media-server-1**')) + 1;
  const k = run(['trace', `RUNBOOK.md:${item}`, '--bundle', out, '--json']);
  assert.equal(k.status, 0, k.stderr);
  const doc = JSON.parse(k.stdout) as { item: string; origin: { path: string; line: number }[] };
  assert.equal(doc.item, 'run-media-server-1');
  assert.deepEqual(doc.origin, [{ path: 'servers[0]', line: 17 }]);
  // Outside every step: what the line is, exit 1.
  const lib = run(['trace', `${script}:${lines.indexOf('# ---- step runner ' + '-'.repeat(75)) + 2}`]);
  assert.equal(lib.status, 1);
  assert.match(lib.stderr, /belongs to no step or runbook item: it is in the script's library \("step runner"\)/);
  assert.match(run(['trace', `${script}:2`]).stderr, /it is in the banner/);
  const pre = lines.findIndex((l) => l.startsWith('# ---- preflight: read-only')) + 2;
  assert.match(run(['trace', `${script}:${pre}`]).stderr, /it is in the preflight/);
  // Bad arguments and paths (exit 2), never a stack trace.
  const bad: [string[], RegExp][] = [
    [['trace', script], /is not FILE:LINE/],
    [['trace', `${script}:0`], /lines count from 1/],
    [['trace', `${script}:999999`], /has \d+ lines; line 999999 is not one of them/],
    [['trace', `${join(out, 'plan.json')}:3`], /plan\.json is not in this bundle's source map; it maps RUNBOOK\.html, RUNBOOK\.md, hosts\/dataflow\/install\.sh/],
    [['trace', `${join(tmp, 'nowhere', 'install.sh')}:3`], /no bundle around .*: no folder above it holds sourcemap\.json and manifest\.json; name the bundle with --bundle DIR/],
    [['trace', '../outside.sh:3', '--bundle', out], /is not inside the bundle/],
    [['trace', `${script}:${guard}`, '--spec', join(FIXTURES, 'standalone', 'spec.yaml')], /is not the spec this bundle was compiled from/],
  ];
  for (const [args, message] of bad) {
    const b = run(args);
    assert.equal(b.status, 2, `${args.join(' ')}: ${b.stderr}`);
    assert.match(b.stderr, message, args.join(' '));
    assert.doesNotMatch(b.stderr, /\n\s+at /);
  }
  // A source map that is a FIFO or is damaged: refused by name, never a hang.
  const odd = join(tmp, 'trace-odd');
  mkdirSync(odd);
  writeFileSync(join(odd, 'manifest.json'), '{}');
  spawnSync('mkfifo', [join(odd, 'sourcemap.json')]);
  assert.match(run(['trace', 'RUNBOOK.md:1', '--bundle', odd]).stderr, /sourcemap\.json is a FIFO/);
  rmSync(join(odd, 'sourcemap.json'));
  writeFileSync(join(odd, 'sourcemap.json'), '{"formatVersion": 9, "spec": {"name": "s", "sha256": "x"}, "files": []}');
  assert.match(run(['trace', 'RUNBOOK.md:1', '--bundle', odd]).stderr, /cannot be read as a source map: its formatVersion is 9/);
  // An edited script: still answered, with a warning that its lines may have moved.
  writeFileSync(script, `# edited\n${lines.join('\n')}`);
  const e = run(['trace', `${script}:${guard}`]);
  assert.equal(e.status, 0);
  assert.match(e.stderr, /warning: hosts\/pbx-main\/install\.sh differs from the bundle's manifest\.json/);
});
