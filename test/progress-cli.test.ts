// Progress lines of the CLI: `compile --artifacts --archive` (hashing, copying, packing) and
// `verify` of an archive print one on a terminal (forced here with PBXPLAN_PROGRESS=1, as the
// tests' stderr is a pipe); on a pipe, and with --format json, not a byte of it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, GOLDEN_TODAY, REPO } from './golden.js';
import { makeArtifacts } from './stand-ins.js';

const BIN = join(REPO, 'dist', 'cli', 'main.js');
const SPEC = join(FIXTURES, 'airgap', 'spec.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-progress-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const ARTIFACTS = makeArtifacts(join(tmp, 'artifacts'));

function run(args: string[], env: Record<string, string> = {}) {
  const { PBXPLAN_PROGRESS: _inherited, ...rest } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...rest, NO_COLOR: '1', ...env } });
}

const LINE = '\r\u001b[K';

test('compile --artifacts --archive and verify: a progress line when forced, none on a pipe', () => {
  const forced = run(['compile', SPEC, '-o', join(tmp, 'a', 'b'), '--today', GOLDEN_TODAY, '--artifacts', ARTIFACTS, '--archive'], { PBXPLAN_PROGRESS: '1' });
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stderr, /\r\u001b\[Khashing images\/portsip_pbx_22\.3\.tar: \d+% /);
  assert.match(forced.stderr, /\r\u001b\[Kcopying artifacts\/\S+: 100% /); // the lines between are throttled
  assert.match(forced.stderr, /\r\u001b\[Kpacking offline-site\.tar\.gz: 100% /);
  assert.ok(forced.stderr.includes(`${LINE}wrote `), 'the line is cleared before the summary');
  const verify = run(['verify', join(tmp, 'a', 'offline-site.tar.gz')], { PBXPLAN_PROGRESS: '1' });
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stderr, /\r\u001b\[Kverifying .*offline-site\.tar\.gz: 100% /);

  const piped = run(['compile', SPEC, '-o', join(tmp, 'p', 'b'), '--today', GOLDEN_TODAY, '--artifacts', ARTIFACTS, '--archive']);
  assert.equal(piped.status, 0, piped.stderr);
  assert.ok(!piped.stderr.includes('\r'), piped.stderr);
  assert.ok(!run(['verify', join(tmp, 'p', 'offline-site.tar.gz')]).stderr.includes('\r'));
  const json = run(['compile', SPEC, '-o', join(tmp, 'j', 'b'), '--today', GOLDEN_TODAY, '--artifacts', ARTIFACTS, '--archive', '--format', 'json'], { PBXPLAN_PROGRESS: '1' });
  assert.equal(json.status, 0, json.stderr);
  assert.ok(!json.stderr.includes('\r') && !json.stdout.includes('\r'), 'machine output: no progress');
});
