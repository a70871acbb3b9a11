// The CLI against hostile input and hostile circumstances, through the built binary, class by
// class (issue #9): data safety (--force, signals, the lock, init's writes), input safety (what
// the spec path may be, closed pipes, dates, I/O errors, argument texts), the artifacts
// directory (no link escapes), and verify (tampered bundles and archives, bombs). Every case
// asserts the exit code, no stack trace, no raw control bytes and no bare errno name in the
// output, and nothing left on disk; cases that stream or read big inputs also bound CPU time and
// memory (measured inside the child). Big and binary inputs are made here, at test time.
//
// PBXPLAN_BIN=path/to/cli.js runs the same cases against another build (e.g. an older one).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { tarHeader } from '../src/phases/6-bundle/archive.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO } from './golden.js';
import { makeArtifacts } from './stand-ins.js';

const BIN = process.env['PBXPLAN_BIN'] ?? join(REPO, 'dist', 'cli', 'main.js');
const STANDALONE = join(FIXTURES, 'standalone', 'spec.yaml');
const AIRGAP = join(FIXTURES, 'airgap', 'spec.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const MiB = 1024 * 1024;

/** Loaded into each child: writes its peak memory and CPU time when it exits. */
const PROBE = `data:text/javascript,${encodeURIComponent(
  'import { writeFileSync } from "node:fs"; process.on("exit", () => { const u = process.resourceUsage(); if (process.env.PBXPLAN_TEST_PROBE) writeFileSync(process.env.PBXPLAN_TEST_PROBE, JSON.stringify({ rssMb: u.maxRSS / 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); });',
)}`;
let probes = 0;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  cpuMs: number | null;
  rssMb: number | null;
}

function env(extra: Record<string, string> = {}) {
  return { ...process.env, PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY, NO_COLOR: '1', ...extra };
}

function run(args: string[], o: { cwd?: string; input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number } = {}): Run {
  const probe = join(tmp, `probe-${probes++}.json`);
  const t = Date.now();
  const opts: SpawnSyncOptions = { cwd: o.cwd ?? tmp, env: env({ ...o.env, PBXPLAN_TEST_PROBE: probe }), timeout: o.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 64 * MiB };
  if (o.input !== undefined) opts.input = o.input;
  const r = spawnSync(process.execPath, ['--import', PROBE, BIN, ...args], opts);
  const m = existsSync(probe) ? (JSON.parse(readFileSync(probe, 'utf8')) as { rssMb: number; cpuMs: number }) : null;
  return { status: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), wallMs: Date.now() - t, cpuMs: m?.cpuMs ?? null, rssMb: m?.rssMb ?? null };
}

const BARE_ERRNO = /\b(EISDIR|EACCES|EBUSY|ENOTDIR|ENOENT|ENOSPC|EROFS|ELOOP|EPIPE|EEXIST|EPERM|ENXIO|EAGAIN|ERR_[A-Z_]+)\b/;

/** The common assertions: exit code, no stack trace, no raw control bytes, no bare errno name. */
function expectClean(r: Run, code: number, what: string, bounds: { cpuMs?: number; rssMb?: number } = {}): void {
  const all = r.stdout + r.stderr;
  assert.equal(r.status, code, `${what}: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}, want ${code}\n${all.slice(0, 2000)}`);
  assert.doesNotMatch(all, /^\s+at .+:\d+:\d+\)?$/m, `${what}: stack trace`);
  assert.doesNotMatch(all, /\b(Type|Range|Syntax|Reference)?Error: /, `${what}: an error object's text`);
  assert.doesNotMatch(all, /[\x00-\x08\x0b-\x1f\x7f]/, `${what}: raw control bytes`);
  assert.doesNotMatch(r.stderr, BARE_ERRNO, `${what}: a bare errno name`);
  if (bounds.cpuMs !== undefined) assert.ok(r.cpuMs !== null && r.cpuMs < bounds.cpuMs, `${what}: ${r.cpuMs} ms of CPU, bound ${bounds.cpuMs}`);
  if (bounds.rssMb !== undefined) assert.ok(r.rssMb !== null && r.rssMb < bounds.rssMb, `${what}: ${r.rssMb} MB of memory, bound ${bounds.rssMb}`);
}

const TEMP_NAME = /\.pbxplan-[0-9]+\.(tmp|old)$|\.pbxplan\.lock$|\.pbxplan-[0-9]+\.tmp$/;

/** Temporary names (ours, old style and new) anywhere below dir, two levels deep. */
function leftovers(dir: string, depth = 2): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const here = TEMP_NAME.test(n) ? [p] : [];
    return depth > 0 && lstatSync(p).isDirectory() && !TEMP_NAME.test(n) ? [...here, ...leftovers(p, depth - 1)] : here;
  });
}

function fresh(name: string): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

// ---- shared inputs -------------------------------------------------------------------------------
const SMALL_ARTIFACTS = makeArtifacts(join(tmp, 'artifacts-small'));
/** The artifacts with a 50 MB image: big enough that a run is caught mid-write. */
const BIG_ARTIFACTS = (() => {
  const d = makeArtifacts(join(tmp, 'artifacts-big'));
  writeFileSync(join(d, 'images', 'portsip_pbx_22.3.tar'), randomBytes(50 * MiB));
  return d;
})();

const GOOD_ROOT = fresh('good');
const GOOD = join(GOOD_ROOT, 'bundle');
const GOOD_ARCHIVE = join(GOOD_ROOT, 'offline-site.tar.gz');
const good = run(['compile', AIRGAP, '-o', GOOD, '--artifacts', SMALL_ARTIFACTS, '--archive', '--today', GOLDEN_TODAY]);

test('setup: the shared good bundle and archive are written', () => {
  expectClean(good, 0, 'compile');
  assert.ok(existsSync(GOOD_ARCHIVE));
});

/** A copy of the good bundle (modes kept), damaged by `damage`. */
function tampered(name: string, damage: (dir: string) => void): string {
  const dir = join(fresh(`t-${name}`), 'offline-site');
  assert.equal(spawnSync('cp', ['-a', GOOD, dir]).status, 0);
  damage(dir);
  return dir;
}

/** The folder packed by the system's tar, as root's, under its own name. */
function packed(dir: string, extra: string[] = []): string {
  const out = `${dir}.tar.gz`;
  const r = spawnSync('tar', ['--owner=0', '--group=0', ...extra, '-czf', out, '-C', dirname(dir), basename(dir)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

interface Crafted {
  name: string;
  body?: Buffer;
  mode?: number;
  uid?: number;
  type?: 'file' | 'directory' | 'symlink' | 'fifo';
  linkname?: string;
}

/** An archive made entry by entry (tar-stream's writer): names and headers the system tar would not write. */
async function crafted(path: string, entries: Crafted[]): Promise<string> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) {
    pack.entry({ name: e.name, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644), uid: e.uid ?? 0, gid: 0, uname: e.uid ? 'user' : 'root', gname: 'root', type: e.type ?? 'file', ...(e.linkname ? { linkname: e.linkname } : {}), mtime: new Date(0) }, e.body ?? Buffer.alloc(0));
  }
  pack.finalize();
  await done;
  writeFileSync(path, gzipSync(Buffer.concat(chunks)));
  return path;
}

/** The good bundle's files as crafted entries under top/, with `change` applied. */
function goodEntries(change: (files: Map<string, Buffer>) => void = () => {}): Crafted[] {
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const n of readdirSync(join(GOOD, rel)).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(join(GOOD, r)).isDirectory()) walk(r);
      else files.set(r, readFileSync(join(GOOD, r)));
    }
  };
  walk('');
  change(files);
  return [{ name: 'offline-site/', type: 'directory' }, ...[...files].map(([p, body]) => ({ name: `offline-site/${p}`, body, mode: p.endsWith('.sh') ? 0o755 : 0o644 }))];
}

/** A gzip stream of `n` MiB of zeros, as concatenated members (cheap to make, ~1 KB per MiB). */
function zerosGz(n: number): Buffer[] {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Array.from({ length: n }, () => member);
}

/** Runs verify, and the bundle's verify.sh when the target is a directory. */
function verifyBoth(dir: string, what: string, re: RegExp): void {
  const r = run(['verify', dir], { timeoutMs: 30_000 });
  expectClean(r, 4, `${what} (pbxplan verify)`);
  assert.match(r.stdout, re, `${what} (pbxplan verify)`);
  const v = spawnSync('bash', [join(dir, 'verify.sh')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(v.status, 4, `${what} (verify.sh): ${v.stdout}${v.stderr}`);
  assert.match(v.stdout, re, `${what} (verify.sh)`);
  assert.doesNotMatch(v.stdout + v.stderr, /[\x00-\x08\x0b-\x1f\x7f]/, `${what} (verify.sh): raw control bytes`);
}

// ==== 1. Data safety: what --force may replace =====================================================

test('force: compile -o . --force inside a git checkout exits 2 and leaves .git and the spec alone', () => {
  const repo = fresh('git-checkout');
  assert.equal(spawnSync('git', ['init', '-q', repo]).status, 0);
  cpSync(STANDALONE, join(repo, 'spec.yaml'));
  const before = readdirSync(join(repo, '.git')).sort();
  const r = run(['compile', 'spec.yaml', '-o', '.', '--force'], { cwd: repo });
  expectClean(r, 2, '-o . --force');
  assert.match(r.stderr, /current directory/);
  assert.deepEqual(readdirSync(join(repo, '.git')).sort(), before);
  assert.ok(existsSync(join(repo, 'spec.yaml')));
  assert.deepEqual(leftovers(dirname(repo)), []);
});

test('force: a directory of unrelated files is refused with --force, nothing touched', () => {
  const out = fresh('unrelated');
  writeFileSync(join(out, 'thesis.tex'), 'years of work');
  const r = run(['compile', STANDALONE, '-o', out, '--force']);
  expectClean(r, 2, 'unrelated files');
  assert.match(r.stderr, /only an empty directory or an earlier pbxplan bundle/);
  assert.deepEqual(readdirSync(out), ['thesis.tex']);
  assert.deepEqual(leftovers(tmp, 0), []);
});

test('force: an earlier bundle with a file added is refused; the earlier bundle itself is replaced', () => {
  const out = join(fresh('earlier'), 'bundle');
  expectClean(run(['compile', STANDALONE, '-o', out, '--today', GOLDEN_TODAY]), 0, 'first compile');
  writeFileSync(join(out, 'my-notes.md'), 'notes');
  const r = run(['compile', STANDALONE, '-o', out, '--force', '--today', GOLDEN_TODAY]);
  expectClean(r, 2, 'earlier bundle plus notes');
  assert.match(r.stderr, /my-notes\.md/);
  assert.ok(existsSync(join(out, 'my-notes.md')));
  rmSync(join(out, 'my-notes.md'));
  expectClean(run(['compile', STANDALONE, '-o', out, '--force', '--today', GOLDEN_TODAY]), 0, 'replace the earlier bundle');
  assert.deepEqual(leftovers(dirname(out)), []);
});

test('force: a home directory, / and a directory holding the spec are refused', () => {
  const home = fresh('home');
  writeFileSync(join(home, '.bashrc'), '# mine');
  const h = run(['compile', STANDALONE, '-o', home, '--force'], { env: { HOME: home } });
  expectClean(h, 2, 'home');
  assert.match(h.stderr, /home directory/);
  assert.ok(existsSync(join(home, '.bashrc')));
  expectClean(run(['compile', STANDALONE, '-o', '/', '--force']), 2, '/');
  const specDir = fresh('spec-dir');
  cpSync(STANDALONE, join(specDir, 'spec.yaml'));
  const s = run(['compile', join(specDir, 'spec.yaml'), '-o', specDir, '--force']);
  expectClean(s, 2, 'the spec inside');
  assert.match(s.stderr, /holds the spec/);
  assert.deepEqual(readdirSync(specDir), ['spec.yaml']);
});

test('force: a parent of the current directory, a symlinked output and a file as output are refused', () => {
  const deep = fresh('nest/inner');
  expectClean(run(['compile', STANDALONE, '-o', '..', '--force'], { cwd: deep }), 2, '-o ..');
  const real = fresh('link-target');
  writeFileSync(join(real, 'keep'), 'x');
  symlinkSync(real, join(tmp, 'out-link'));
  const l = run(['compile', STANDALONE, '-o', join(tmp, 'out-link'), '--force']);
  expectClean(l, 2, 'symlinked output');
  assert.deepEqual(readdirSync(real), ['keep']);
  writeFileSync(join(tmp, 'a-file'), 'x');
  expectClean(run(['compile', STANDALONE, '-o', join(tmp, 'a-file'), '--force']), 2, 'a file as output');
  assert.equal(readFileSync(join(tmp, 'a-file'), 'utf8'), 'x');
});

test('force: an archive path that is a symbolic link is never written through', () => {
  const root = fresh('archive-link');
  const victim = join(tmp, 'victim.tar.gz');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(root, 'offline-site.tar.gz'));
  const r = run(['compile', AIRGAP, '-o', join(root, 'b'), '--artifacts', SMALL_ARTIFACTS, '--archive', '--force', '--today', GOLDEN_TODAY]);
  expectClean(r, 2, 'archive symlink');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.ok(!existsSync(join(root, 'b')));
  assert.deepEqual(leftovers(root), []);
});

// ==== 1. Data safety: signals, leftovers, the lock ===================================================

/** Starts a compile of the big artifacts and resolves once it is writing (its temporary names exist). */
async function compileCaughtMidWrite(root: string): Promise<{ child: ReturnType<typeof spawn>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> }> {
  const child = spawn(process.execPath, [BIN, 'compile', AIRGAP, '-o', join(root, 'b'), '--artifacts', BIG_ARTIFACTS, '--archive', '--today', GOLDEN_TODAY], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  const t = Date.now();
  while (Date.now() - t < 60_000) {
    const names = existsSync(root) ? readdirSync(root) : [];
    // The staging directory has the big image in it, or the archive is being written.
    if (names.some((n) => /tar\.gz\.pbxplan-[0-9]+\.tmp$/.test(n))) break;
    const staged = names.find((n) => /^\.b\.pbxplan-[0-9]+\.tmp$/.test(n));
    if (staged && existsSync(join(root, staged, 'artifacts', 'images', 'portsip_pbx_22.3.tar'))) break;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, exit };
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`signals: ${signal} during compile --artifacts --archive of a 50 MB artifact exits ${code} and removes what the run wrote`, async () => {
    const root = join(tmp, `signal-${signal}`);
    const { child, exit } = await compileCaughtMidWrite(root);
    assert.equal(child.exitCode, null, 'the run was still writing');
    child.kill(signal);
    const r = await exit;
    assert.equal(r.code, code, `exit ${r.code} (${r.signal}): ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.deepEqual(leftovers(tmp, 1).filter((p) => p.startsWith(root)), []);
    assert.ok(!existsSync(join(root, 'b')) && !existsSync(join(root, 'offline-site.tar.gz')));
  });
}

test('signals: a run killed with SIGKILL leaves temporary names that the next run recognises and removes', async () => {
  const root = join(tmp, 'sigkill');
  const { child, exit } = await compileCaughtMidWrite(root);
  child.kill('SIGKILL');
  await exit;
  assert.ok(leftovers(root).length > 0, 'SIGKILL leaves its temporary names');
  const r = run(['compile', AIRGAP, '-o', join(root, 'b'), '--artifacts', SMALL_ARTIFACTS, '--archive', '--today', GOLDEN_TODAY]);
  expectClean(r, 0, 'the next run');
  assert.match(r.stderr, /left by an interrupted run/);
  assert.deepEqual(leftovers(root), []);
});

test('signals: an old bundle moved aside by a run killed between its renames is put back', () => {
  const root = fresh('between-renames');
  const dead = 999_999; // above the usual pid_max: no such process
  expectClean(run(['compile', STANDALONE, '-o', join(root, `.b.pbxplan-${dead}.old`), '--today', GOLDEN_TODAY]), 0, 'the old bundle');
  writeFileSync(join(root, 'spec-with-error.yaml'), 'apiVersion: pbxplan/v1\nkind: Cluster\n');
  const r = run(['compile', join(root, 'spec-with-error.yaml'), '-o', join(root, 'b'), '--force']);
  expectClean(r, 1, 'a failing run after the crash');
  assert.match(r.stderr, /put back .*b, which an interrupted run/);
  assert.ok(existsSync(join(root, 'b', 'manifest.json')), 'the old bundle is back in place');
  assert.deepEqual(leftovers(root), []);
});

test('lock: a second concurrent compile to the same -o fails at once with a clear message; the first succeeds', async () => {
  const root = join(tmp, 'lock');
  const { child, exit } = await compileCaughtMidWrite(root);
  assert.equal(child.exitCode, null, 'the first run is still writing');
  const second = run(['compile', AIRGAP, '-o', join(root, 'b'), '--artifacts', SMALL_ARTIFACTS, '--archive', '--force', '--today', GOLDEN_TODAY]);
  expectClean(second, 2, 'the second run');
  assert.match(second.stderr, /another pbxplan \(pid [0-9]+\) is writing/);
  const first = await exit;
  assert.equal(first.code, 0, first.stderr);
  assert.equal(run(['verify', join(root, 'b')]).status, 0, 'the first run\'s bundle is intact');
  assert.deepEqual(leftovers(root), []);
});

test('lock: a lock left by a run that is gone is taken over', () => {
  const root = fresh('stale-lock');
  writeFileSync(join(root, '.b.pbxplan.lock'), '999999\n');
  expectClean(run(['compile', STANDALONE, '-o', join(root, 'b')]), 0, 'stale lock');
  assert.deepEqual(leftovers(root), []);
});

// ==== 1. Data safety: init's writes ================================================================

test('init: -o link.yaml --force never writes through the link', () => {
  const d = fresh('init-link');
  const victim = join(d, 'victim.txt');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(d, 'link.yaml'));
  const r = run(['init', '-o', join(d, 'link.yaml'), '--force']);
  expectClean(r, 2, 'init through a link');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.equal(readlinkSync(join(d, 'link.yaml')), victim);
  assert.deepEqual(leftovers(d), []);
});

test('init: -o DIR --force says it is a directory (no EISDIR); an existing file needs --force', () => {
  const d = fresh('init-dir');
  const r = run(['init', '-o', d, '--force']);
  expectClean(r, 2, 'init -o DIR');
  assert.match(r.stderr, /is a directory; name the file/);
  writeFileSync(join(d, 'x.yaml'), 'mine');
  expectClean(run(['init', '-o', join(d, 'x.yaml')]), 2, 'init over a file');
  assert.equal(readFileSync(join(d, 'x.yaml'), 'utf8'), 'mine');
  expectClean(run(['init', '-o', join(d, 'x.yaml'), '--force']), 0, 'init --force over a file');
  assert.match(readFileSync(join(d, 'x.yaml'), 'utf8'), /apiVersion: pbxplan\/v1/);
  assert.deepEqual(leftovers(d), []);
});

// ==== 2. Input safety ============================================================================

test('pipes: explain --list | head -1, and output into a closed pipe, end quietly with exit 0', () => {
  for (const cmd of [`explain --list | head -1`, `explain --list | true`, `schema | true`, `plan ${STANDALONE} --today ${GOLDEN_TODAY} | head -c 10`]) {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${cmd} >/dev/null`], { encoding: 'utf8', env: env(), timeout: 60_000 });
    assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
    assert.equal(r.stderr, '', cmd);
  }
});

test('spec input: a FIFO is refused at once instead of hanging', () => {
  const fifo = join(fresh('fifo'), 'spec.yaml');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const r = run(['validate', fifo], { timeoutMs: 20_000 });
  expectClean(r, 2, 'FIFO spec');
  assert.match(r.stderr, /FIFO/);
});

test('spec input: /dev/zero is refused without reading it (bounded memory)', () => {
  const r = run(['validate', '/dev/zero'], { timeoutMs: 15_000 });
  expectClean(r, 2, '/dev/zero', { rssMb: 300 });
  assert.match(r.stderr, /character device/);
});

test('spec input: a directory and a missing path are named in words', () => {
  const d = run(['validate', tmp]);
  expectClean(d, 2, 'a directory');
  assert.match(d.stderr, /is a directory, not a spec file/);
  const m = run(['validate', join(tmp, 'no', 'such.yaml')]);
  expectClean(m, 2, 'missing');
  assert.match(m.stderr, /does not exist/);
});

test('spec input: more than 4 MiB, as a file or on stdin, is refused with bounded memory', () => {
  const big = join(fresh('big-spec'), 'spec.yaml');
  writeFileSync(big, `# ${'x'.repeat(5 * MiB)}\n`);
  const f = run(['validate', big]);
  expectClean(f, 2, 'big file', { rssMb: 300 });
  assert.match(f.stderr, /larger than 4 MiB/);
  const s = run(['validate', '-'], { input: `# ${'x'.repeat(5 * MiB)}\n` });
  expectClean(s, 2, 'big stdin', { rssMb: 300 });
  assert.match(s.stderr, /larger than 4 MiB/);
});

test('spec input: invalid UTF-8 is a positioned error, never replaced silently', () => {
  const bad = join(fresh('utf8'), 'spec.yaml');
  const text = readFileSync(STANDALONE);
  const at = text.indexOf('Single PBX');
  writeFileSync(bad, Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe]), text.subarray(at)]));
  const r = run(['validate', bad]);
  assert.ok(r.status === 1 || r.status === 2, `exit ${r.status}`);
  expectClean(r, r.status!, 'invalid UTF-8');
  assert.match(r.stderr, /spec\.yaml:6:\d+/);
  assert.match(r.stderr, /UTF-8/);
  const out = join(tmp, 'utf8-out');
  assert.notEqual(run(['compile', bad, '-o', out]).status, 0);
  assert.ok(!existsSync(out));
});

test('dates: --today 2026-02-31 and --today 1999-13-45 are refused; a real date passes', () => {
  for (const day of ['2026-02-31', '1999-13-45', '2026-1-1', '2026-00-10']) {
    const r = run(['validate', STANDALONE, '--today', day]);
    expectClean(r, 2, day);
    assert.match(r.stderr, /real calendar date/);
  }
  expectClean(run(['validate', STANDALONE, '--today', '2028-02-29']), 0, 'a leap day');
});

test('I/O errors are words naming the path (ENOTDIR, ELOOP, EISDIR …), never bare errno names', () => {
  const d = fresh('errno');
  symlinkSync(join(d, 'loop-b'), join(d, 'loop-a'));
  symlinkSync(join(d, 'loop-a'), join(d, 'loop-b'));
  const cases: [string[], RegExp][] = [
    [['validate', join(STANDALONE, 'child.yaml')], /a part of the path is a file/],
    [['validate', join(d, 'loop-a')], /symbolic link/],
    [['compile', STANDALONE, '-o', join(STANDALONE, 'sub', 'out')], /a part of the path is a file|not a directory/],
    [['verify', join(STANDALONE, 'x')], /a part of the path is a file/],
    [['compile', STANDALONE, '-o', join(d, 'o'), '--artifacts', join(d, 'none')], /does not exist/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    expectClean(r, 2, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.match(r.stderr, /^pbxplan: /);
  }
});

test('arguments: Node\'s parseArgs texts never leak; pbxplan\'s usage line is printed instead', () => {
  const cases: string[][] = [
    ['init', '--ha'],
    ['compile', STANDALONE, '-o'],
    ['compile', STANDALONE, '-o', join(tmp, 'x'), '--bogus'],
    ['validate', STANDALONE, "--today='2026-01-01"],
    ['validate', STANDALONE, '--format', "json'"],
    ['validate', STANDALONE, '--strict=yes'],
    ['verify'],
    ['explain', '--list', 'extra'],
  ];
  for (const args of cases) {
    const r = run(args);
    expectClean(r, 2, args.join(' '));
    assert.match(r.stderr, /^pbxplan: /, args.join(' '));
    assert.match(r.stderr, /^Usage: pbxplan /m, args.join(' '));
    assert.doesNotMatch(r.stderr, /To specify a positional argument|Unknown option '|argument missing|ERR_PARSE_ARGS/, args.join(' '));
  }
  assert.match(run(['init', '--ha']).stderr, /--topology ha-onprem/);
});

test('arguments: control characters in a path are escaped in every message', () => {
  const r = run(['validate', `${tmp}/\x1b]0;pwned\x07\x1b[2J.yaml`]);
  expectClean(r, 2, 'control bytes in a path');
  assert.match(r.stderr, /\\u\{1b\}/);
});

// ==== 4. The artifacts directory ===================================================================

test('artifacts: a symbolic link out of the directory (/etc/shadow as pbx_ctl.sh) is refused by name; nothing is copied', () => {
  const dir = makeArtifacts(join(tmp, 'artifacts-escape'));
  const secret = join(fresh('outside'), 'shadow');
  writeFileSync(secret, 'root:SECRET-HASH-8c1f:19000:0:99999:7:::\n', { mode: 0o600 });
  rmSync(join(dir, 'scripts', 'pbx_ctl.sh'));
  symlinkSync(secret, join(dir, 'scripts', 'pbx_ctl.sh'));
  const out = join(fresh('escape-out'), 'b');
  const r = run(['compile', AIRGAP, '-o', out, '--artifacts', dir, '--archive', '--today', GOLDEN_TODAY]);
  expectClean(r, 2, 'link escape');
  assert.match(r.stderr, /pbx_ctl\.sh is a symbolic link to .*outside/);
  assert.doesNotMatch(r.stdout + r.stderr, /SECRET-HASH/);
  assert.ok(!existsSync(out) && !existsSync(join(dirname(out), 'offline-site.tar.gz')));
  assert.deepEqual(leftovers(dirname(out)), []);
});

test('artifacts: a FIFO under a needed name is refused by name, without hanging', () => {
  const dir = makeArtifacts(join(tmp, 'artifacts-fifo'));
  rmSync(join(dir, 'scripts', 'sbc_ctl.sh'));
  assert.equal(spawnSync('mkfifo', [join(dir, 'scripts', 'sbc_ctl.sh')]).status, 0);
  const r = run(['compile', AIRGAP, '-o', join(tmp, 'fifo-out'), '--artifacts', dir, '--today', GOLDEN_TODAY], { timeoutMs: 30_000 });
  expectClean(r, 2, 'FIFO artifact');
  assert.match(r.stderr, /sbc_ctl\.sh is a FIFO/);
  assert.ok(!existsSync(join(tmp, 'fifo-out')));
});

test('artifacts: a link to a file inside the directory is read like the file itself', () => {
  const dir = makeArtifacts(join(tmp, 'artifacts-inner-link'));
  const body = readFileSync(join(dir, 'scripts', 'im_ctl.sh'));
  mkdirSync(join(dir, 'originals'));
  writeFileSync(join(dir, 'originals', 'im_ctl.sh'), body);
  rmSync(join(dir, 'scripts', 'im_ctl.sh'));
  symlinkSync('../originals/im_ctl.sh', join(dir, 'scripts', 'im_ctl.sh'));
  const out = join(tmp, 'inner-link-out');
  expectClean(run(['compile', AIRGAP, '-o', out, '--artifacts', dir, '--today', GOLDEN_TODAY]), 0, 'inner link');
  assert.ok(lstatSync(join(out, 'artifacts', 'scripts', 'im_ctl.sh')).isFile());
  assert.equal(sha256(readFileSync(join(out, 'artifacts', 'scripts', 'im_ctl.sh'))), sha256(body));
});

// ==== 4. verify: tampered bundles and archives =======================================================

test('verify: a folder, and an archive, holding only an empty SHA256SUMS are not intact', async () => {
  const dir = join(fresh('only-sums'), 'offline-site');
  mkdirSync(dir);
  writeFileSync(join(dir, 'SHA256SUMS'), '');
  const d = run(['verify', dir]);
  expectClean(d, 4, 'folder');
  assert.match(d.stdout, /^missing: manifest\.json/m);
  const a = run(['verify', packed(dir)]);
  expectClean(a, 4, 'archive');
  assert.match(a.stdout, /^missing: manifest\.json/m);
  const c = run(['verify', await crafted(join(tmp, 'only-sums.tar.gz'), [{ name: 'offline-site/', type: 'directory' }, { name: 'offline-site/SHA256SUMS' }])]);
  expectClean(c, 4, 'crafted archive');
});

test('verify: a 4 MB gzip bomb (a 4 GiB SHA256SUMS entry) fails fast with little memory', () => {
  const bomb = join(tmp, 'bomb-sums.tar.gz');
  const first = gzipSync(Buffer.concat([tarHeader({ path: 'offline-site/', type: 'dir', mode: 0o755, size: 0 }), tarHeader({ path: 'offline-site/SHA256SUMS', type: 'file', mode: 0o644, size: 4096 * MiB })]));
  writeFileSync(bomb, Buffer.concat([first, ...zerosGz(4096)]));
  assert.ok(statSync(bomb).size < 6 * MiB && statSync(bomb).size > 3 * MiB);
  const r = run(['verify', bomb], { timeoutMs: 60_000 });
  expectClean(r, 4, 'bomb', { cpuMs: 10_000, rssMb: 300 });
  assert.match(r.stdout, /SHA256SUMS declares 4294967296 bytes/);
});

test('verify: a gzip bomb inside an artifact entry, and one of bare zeros, fail fast too', () => {
  const inEntry = join(tmp, 'bomb-entry.tar.gz');
  const head = gzipSync(Buffer.concat([tarHeader({ path: 'offline-site/', type: 'dir', mode: 0o755, size: 0 }), tarHeader({ path: 'offline-site/artifacts/images/x.tar', type: 'file', mode: 0o644, size: 4096 * MiB })]));
  writeFileSync(inEntry, Buffer.concat([head, ...zerosGz(4096)]));
  const e = run(['verify', inEntry], { timeoutMs: 60_000 });
  expectClean(e, 4, 'entry bomb', { cpuMs: 10_000, rssMb: 300 });
  assert.match(e.stdout, /decompression bomb/);
  const zeros = join(tmp, 'bomb-zeros.tar.gz');
  writeFileSync(zeros, Buffer.concat(zerosGz(4096)));
  const z = run(['verify', zeros], { timeoutMs: 60_000 });
  expectClean(z, 4, 'zeros bomb', { cpuMs: 10_000, rssMb: 300 });
});

test('verify: install.sh of mode 4777 is unsafe, in the folder (both verifiers) and in an archive', () => {
  const dir = tampered('mode-4777', (d) => chmodSync(join(d, 'hosts', 'pbx', 'install.sh'), 0o4777));
  verifyBoth(dir, 'mode 4777', /^(unsafe|bad): hosts\/pbx\/install\.sh \(mode 04777/m);
  const a = run(['verify', packed(dir)]);
  expectClean(a, 4, 'mode 4777 archive');
  assert.match(a.stdout, /^unsafe: hosts\/pbx\/install\.sh \(mode 04777 is setuid/m);
});

test('verify: an archive entry owned by uid 1000 is unsafe', () => {
  const dir = tampered('uid', () => {});
  const a = packed(dir, ['--owner=1000']);
  const r = run(['verify', a]);
  // --owner after --owner=0 wins: every entry is uid 1000.
  expectClean(r, 4, 'uid 1000');
  assert.match(r.stdout, /^unsafe: .*owned by .*1000/m);
});

test('verify: a FIFO inside the bundle is named, never read (both verifiers)', () => {
  const dir = tampered('fifo', (d) => assert.equal(spawnSync('mkfifo', [join(d, 'hosts', 'pbx', 'pipe')]).status, 0));
  verifyBoth(dir, 'FIFO', /^unsafe: hosts\/pbx\/pipe \(is a (FIFO|fifo)/m);
});

test('verify: RUNBOOK.md replaced by a symbolic link pointing outside is unsafe (both verifiers)', () => {
  const outside = join(fresh('outside-runbook'), 'RUNBOOK.md');
  cpSync(join(GOOD, 'RUNBOOK.md'), outside);
  const dir = tampered('runbook-link', (d) => {
    rmSync(join(d, 'RUNBOOK.md'));
    symlinkSync(outside, join(d, 'RUNBOOK.md'));
  });
  verifyBoth(dir, 'RUNBOOK.md link', /^unsafe: RUNBOOK\.md \(is a symbolic link/m);
});

test('verify: a dangling symbolic link and SHA256SUMS as a folder are findings, not stack traces', () => {
  const dangling = tampered('dangling', (d) => symlinkSync(join(d, 'nowhere'), join(d, 'hosts', 'ghost')));
  verifyBoth(dangling, 'dangling link', /^unsafe: hosts\/ghost \(is a symbolic link/m);
  const folder = tampered('sums-folder', (d) => {
    rmSync(join(d, 'SHA256SUMS'));
    mkdirSync(join(d, 'SHA256SUMS'));
  });
  verifyBoth(folder, 'SHA256SUMS folder', /^missing: SHA256SUMS/m);
  const link = join(tmp, 'dangling-path');
  symlinkSync(join(tmp, 'nowhere'), link);
  expectClean(run(['verify', link]), 2, 'verify a dangling link');
});

test('verify: ../../etc/passwd listed in SHA256SUMS with the right hash is unsafe (both verifiers)', () => {
  const dir = tampered('dotdot-sums', (d) => {
    const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd') : Buffer.from('');
    writeFileSync(join(d, 'SHA256SUMS'), readFileSync(join(d, 'SHA256SUMS'), 'utf8') + `${sha256(passwd)}  ../../etc/passwd\n`);
  });
  verifyBoth(dir, '../../etc/passwd', /^unsafe: \.\.\/\.\.\/etc\/passwd \(SHA256SUMS lists a path/m);
});

test('verify: an archive entry <top>/../../X listed in SHA256SUMS is unsafe', async () => {
  const body = Buffer.from('planted\n');
  const entries = goodEntries((files) => files.set('SHA256SUMS', Buffer.concat([files.get('SHA256SUMS')!, Buffer.from(`${sha256(body)}  ../../X\n`)])));
  entries.push({ name: 'offline-site/../../X', body });
  const r = run(['verify', await crafted(join(tmp, 'dotdot-entry.tar.gz'), entries)]);
  expectClean(r, 4, '<top>/../../X');
  assert.match(r.stdout, /^unsafe: \.\.\/\.\.\/X /m);
});

test('verify: links, devices and FIFOs inside an archive are unsafe', async () => {
  const entries = goodEntries();
  entries.push({ name: 'offline-site/hosts/pbx/evil', type: 'symlink', linkname: '/etc/shadow' }, { name: 'offline-site/pipe', type: 'fifo' });
  const r = run(['verify', await crafted(join(tmp, 'links.tar.gz'), entries)]);
  expectClean(r, 4, 'links in archive');
  assert.match(r.stdout, /^unsafe: hosts\/pbx\/evil \(is a symbolic link to \/etc\/shadow/m);
  assert.match(r.stdout, /^unsafe: pipe \(is a FIFO/m);
});

test('verify: a FIFO as PATH is refused at once', () => {
  const fifo = join(fresh('verify-fifo'), 'bundle.tar.gz');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const r = run(['verify', fifo], { timeoutMs: 20_000 });
  expectClean(r, 2, 'verify a FIFO');
  assert.match(r.stderr, /FIFO/);
});

test('verify: the intact bundle re-packed as pax (posix) and GNU tar verifies intact; so does a 50 MB archive, with bounded memory', () => {
  for (const format of ['posix', 'gnu', 'ustar']) {
    const dir = tampered(`repack-${format}`, () => {});
    const r = run(['verify', packed(dir, [`--format=${format}`])]);
    expectClean(r, 0, `re-packed as ${format}`);
  }
  const root = fresh('big-archive');
  expectClean(run(['compile', AIRGAP, '-o', join(root, 'b'), '--artifacts', BIG_ARTIFACTS, '--archive', '--today', GOLDEN_TODAY]), 0, 'big compile', { rssMb: 400 });
  const v = run(['verify', join(root, 'offline-site.tar.gz')]);
  expectClean(v, 0, 'big archive', { rssMb: 300 });
});

test('verify: a file changed in size or content, or a mode changed, is named (both verifiers)', () => {
  const grown = tampered('grown', (d) => writeFileSync(join(d, 'plan.json'), readFileSync(join(d, 'plan.json'), 'utf8') + ' '));
  verifyBoth(grown, 'grown', /^bad: plan\.json \([0-9]+ bytes, the manifest says [0-9]+\)/m);
  const chmodded = tampered('chmod', (d) => chmodSync(join(d, 'RUNBOOK.md'), 0o600));
  verifyBoth(chmodded, 'chmod', /^bad: RUNBOOK\.md \(mode 0600, the manifest says 0644\)/m);
});
