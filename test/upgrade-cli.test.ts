// pbxplan compile NEW --from OLD (and artifacts --from): the upgrade bundle equals its golden,
// OLD may be the old bundle, and a change besides the release is refused with what to do.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, readTree } from './golden.js';

const BIN = join(REPO, 'dist', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-upgrade-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CASE = join(FIXTURES, 'upgrades', 'cluster');

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args, '--today', GOLDEN_TODAY], { encoding: 'utf8', env: { ...process.env, PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY, NO_COLOR: '1' } });
}

test('compile --from OLD spec writes the upgrade golden; --from the old bundle gives the same bytes', () => {
  const out = join(tmp, 'up');
  const r = run(['compile', join(CASE, 'new.yaml'), '--from', join(CASE, 'old.yaml'), '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const expected = readTree(join(CASE, 'expected'));
  const actual = readTree(out);
  // The spec's file name is part of origins: the golden runner compiles without one, the CLI with new.yaml.
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  const oldBundle = join(tmp, 'old');
  assert.equal(run(['compile', join(CASE, 'old.yaml'), '-o', oldBundle]).status, 0);
  const out2 = join(tmp, 'up2');
  const r2 = run(['compile', join(CASE, 'new.yaml'), '--from', oldBundle, '-o', out2]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.deepEqual(readTree(out2), actual);
  const out3 = join(tmp, 'up3');
  assert.equal(run(['compile', join(CASE, 'new.yaml'), '--from', join(oldBundle, 'plan.json'), '-o', out3]).status, 0);
  assert.deepEqual(readTree(out3), actual);
});

test('compile --from refuses a change besides the release, and writes nothing', () => {
  const out = join(tmp, 'refused');
  const r = run(['compile', join(FIXTURES, 'cluster', 'spec.yaml'), '--from', join(CASE, 'old.yaml'), '-o', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no bundle from .*old\.yaml: \[release_downgrade\] 22\.3\.0 → 22\.0\.0 is a downgrade/);
  assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  assert.ok(!existsSync(join(out, 'plan.json')));
});

test('artifacts --from lists the new images only', () => {
  const r = run(['artifacts', join(CASE, 'new.yaml'), '--from', join(CASE, 'old.yaml')]);
  assert.equal(r.status, 0, r.stderr);
  for (const img of ['portsip_pbx_22.4', 'portsip_clickhouse_26.3', 'portsip_sbc_11.3']) assert.match(r.stdout, new RegExp(`images/${img}\\.tar`));
  for (const img of ['portsip_pbx_22.3', 'portsip_clickhouse_25.8', 'portsip_sbc_11.2']) assert.doesNotMatch(r.stdout, new RegExp(img));
  // Nothing the hosts have already: no control scripts, no Docker packages.
  assert.doesNotMatch(r.stdout, /scripts\/|debs\//);
  assert.match(r.stdout, /pbxplan compile NEW --from OLD -o OUT --artifacts/);
});

test('artifacts --from --artifacts on an air-gapped upgrade: the new image tarball, found', () => {
  const dir = join(FIXTURES, 'upgrades', 'airgap-loopback');
  const r = run(['artifacts', join(dir, 'new.yaml'), '--from', join(dir, 'old.yaml'), '--artifacts', join(dir, 'artifacts')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\[ok\]\s+images\/portsip_pbx_22\.4\.tar/);
  assert.doesNotMatch(r.stdout, /registry_2|portsip_pbx_22\.3|postgresql/);
});
