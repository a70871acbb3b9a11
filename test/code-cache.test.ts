// The shipped CLI's code caches (scripts/bundle.mjs trains them, src/cli/cached-load.ts uses
// them): used by the Node that built them, and a group whose cache does not fit — edited, not
// ASCII, garbage, missing — still runs, only compiled afresh.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function validate(bin: string) {
  const r = spawnSync(process.execPath, [join(bin, 'pbxplan.js'), 'validate', EXAMPLE, '--today', '2026-01-01'], { encoding: 'utf8', env: { ...process.env, PBXPLAN_CODE_CACHE_REPORT: '1' } });
  const state = /^pbxplan: code cache of the validate group: (\w+)\n/m.exec(r.stderr)?.[1];
  // What the command said (on stderr: a human line), without the cache's report.
  return { status: r.status, said: r.stdout + r.stderr.replace(/^pbxplan: code cache of .*\n/gm, ''), state };
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
});

test('an edited group (not ASCII any more) is compiled afresh and runs the same', () => {
  const bin = copyOfBin('edited');
  appendFileSync(join(bin, 'chunks', 'validate.cjs'), '\n// édité à la main\n');
  const r = validate(bin);
  assert.equal(r.state, 'stale');
  assert.deepEqual({ status: r.status, said: r.said }, { status: expected.status, said: expected.said });
});

test('a cache V8 cannot use (garbage after the right sum) or no cache at all: the group runs the same', () => {
  const bin = copyOfBin('garbage');
  const cache = join(bin, 'chunks', 'validate.cjs.cache');
  const sum = readFileSync(cache).subarray(0, 32);
  writeFileSync(cache, Buffer.concat([sum, Buffer.alloc(4096, 0x5a)]));
  const r = validate(bin);
  assert.equal(r.state, 'rejected');
  assert.deepEqual({ status: r.status, said: r.said }, { status: expected.status, said: expected.said });
  rmSync(cache);
  const none = validate(bin);
  assert.equal(none.state, 'missing');
  assert.deepEqual({ status: none.status, said: none.said }, { status: expected.status, said: expected.said });
});
