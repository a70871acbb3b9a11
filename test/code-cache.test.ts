// The shipped CLI's code caches (scripts/bundle.mjs trains them, src/cli/cached-load.ts uses
// them): used by the Node that built them; a group whose cache does not fit — edited, not
// ASCII, garbage, missing — still runs the same, compiled afresh, and (but for a cache V8
// refuses) leaves a cache of its own in the user's cache directory for the next run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const REPO = join(import.meta.dirname, '..');
const EXAMPLE = join(REPO, 'examples', 'cluster.yaml');
const work = mkdtempSync(join(tmpdir(), 'pbxplan-code-cache-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A copy of dist/bin (the shipped CLI) to spoil. */
function copyOfBin(name: string): string {
  const dir = join(work, name);
  cpSync(join(REPO, 'dist', 'bin'), dir, { recursive: true });
  return dir;
}

function validate(bin: string, env: Record<string, string> = {}) {
  const cacheHome = join(bin, 'user-cache');
  const r = spawnSync(process.execPath, [join(bin, 'pbxplan.js'), 'validate', EXAMPLE, '--today', '2026-01-01'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, PBXPLAN_CODE_CACHE_REPORT: '1', ...env } });
  const state = /^pbxplan: code cache of the validate group: (\w+)\n/m.exec(r.stderr)?.[1];
  // What the command said (on stderr: a human line), without the cache's report.
  const userCaches = existsSync(join(cacheHome, 'pbxplan')) ? readdirSync(join(cacheHome, 'pbxplan')) : [];
  return { status: r.status, said: r.stdout + r.stderr.replace(/^pbxplan: code cache of .*\n/gm, ''), state, userCaches };
}

const expected = validate(join(REPO, 'dist', 'bin'));

test('the shipped groups are ASCII and their caches are used by the Node that built them', () => {
  for (const g of ['validate', 'check', 'bundle']) {
    const bytes = readFileSync(join(REPO, 'dist', 'bin', 'chunks', `${g}.cjs`));
    assert.ok(bytes.every((b) => b < 0x80), `${g}.cjs is ASCII`);
  }
  assert.equal(expected.status, 0);
  assert.match(expected.said, /cluster\.yaml: ok/);
  assert.equal(expected.state, 'used', 'the build trained the cache with this Node');
  assert.deepEqual(expected.userCaches, [], 'a run with the shipped cache writes none of its own');
});

test('an edited group (not ASCII any more) is compiled afresh and runs the same', () => {
  const bin = copyOfBin('edited');
  appendFileSync(join(bin, 'chunks', 'validate.cjs'), '\n// édité à la main\n');
  const r = validate(bin);
  assert.equal(r.state, 'stale');
  assert.deepEqual({ status: r.status, said: r.said }, { status: expected.status, said: expected.said });
  assert.equal(r.userCaches.length, 1, 'the run kept a cache of the edited group');
  const next = validate(bin);
  assert.equal(next.state, 'user', 'the next run uses it');
  assert.deepEqual({ status: next.status, said: next.said }, { status: expected.status, said: expected.said });
  assert.deepEqual(next.userCaches, r.userCaches);
});

test('a cache V8 cannot use (garbage after the right sum) or no cache at all: the group runs the same', () => {
  const bin = copyOfBin('garbage');
  const cache = join(bin, 'chunks', 'validate.cjs.cache');
  const sum = readFileSync(cache).subarray(0, 32);
  writeFileSync(cache, Buffer.concat([sum, Buffer.alloc(4096, 0x5a)]));
  const r = validate(bin);
  assert.equal(r.state, 'rejected');
  assert.deepEqual({ status: r.status, said: r.said }, { status: expected.status, said: expected.said });
  assert.deepEqual(r.userCaches, [], 'a cache V8 refuses for its flags is not replaced: the shipped one is still right for this V8');
  rmSync(cache);
  const off = validate(bin, { PBXPLAN_CODE_CACHE: '0' });
  assert.equal(off.state, 'missing');
  assert.deepEqual(off.userCaches, [], 'PBXPLAN_CODE_CACHE=0: nothing written');
  const none = validate(bin);
  assert.equal(none.state, 'missing');
  assert.deepEqual({ status: none.status, said: none.said }, { status: expected.status, said: expected.said });
  assert.equal(validate(bin).state, 'user');
});

test('a user cache directory that cannot be written (a file in its place) changes nothing but speed', () => {
  const bin = copyOfBin('readonly');
  rmSync(join(bin, 'chunks', 'validate.cjs.cache'));
  writeFileSync(join(bin, 'user-cache'), 'not a directory');
  const r = validate(bin);
  assert.equal(r.state, 'missing');
  assert.deepEqual({ status: r.status, said: r.said }, { status: expected.status, said: expected.said });
});
