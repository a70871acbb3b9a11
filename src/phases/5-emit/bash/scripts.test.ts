// Every golden install.sh is valid bash and passes shellcheck with no findings at any severity.
// Without shellcheck the test reports itself skipped; REQUIRE_SHELLCHECK=1 (CI) makes that a failure.
// A finding is reported at the spec line too (through the bundle's sourcemap.json).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, listFiles } from '../../../../test/golden.js';
import { annotateFindings } from '../../../../test/source-lines.js';
import { spawnText } from '../../../../test/fakehost/fakehost.js';

const scripts = listFiles(FIXTURES).filter((f) => f.includes('/expected/') && f.endsWith('.sh'));
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

test('there are golden scripts to check', () => {
  assert.ok(scripts.length >= 10, `found only ${scripts.length} golden scripts`);
});

test('bash -n accepts every golden script', () => {
  for (const f of scripts) {
    const r = spawnSync('bash', ['-n', f], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${relative(FIXTURES, f)}: ${annotateFindings(r.stderr)}`);
  }
});

test('shellcheck finds nothing in any golden script', async (t) => {
  if (!hasShellcheck) {
    assert.ok(process.env['REQUIRE_SHELLCHECK'] !== '1', 'shellcheck is not installed but REQUIRE_SHELLCHECK=1');
    t.skip('shellcheck not installed (set REQUIRE_SHELLCHECK=1 to make this a failure)');
    return;
  }
  // Some 120 s of CPU for ~150 scripts of ~1,000 lines, one process per core (each given every
  // n-th script, the sizes mixed evenly), so that this file is no single-core tail of npm test.
  // A script's bytes checked once: a few golden bundles ship the same stand-in file.
  const unique = [...new Map(scripts.map((f) => [createHash('sha256').update(readFileSync(f)).digest('hex'), f])).values()];
  const n = Math.min(unique.length, Math.max(1, availableParallelism()));
  const chunks = Array.from({ length: n }, (_, i) => unique.filter((_, j) => j % n === i));
  const results = await Promise.all(chunks.map((files) => spawnText('shellcheck', ['--severity=style', '--format=gcc', ...files])));
  for (const r of results) assert.equal(r.status, 0, `shellcheck findings:\n${annotateFindings(r.stdout)}${r.stderr}`);
});

test('a finding in a golden script is told at its step and spec line', () => {
  const script = scripts.find((f) => f.endsWith('/cluster/expected/hosts/pbx-main/install.sh'))!;
  const lines = readFileSync(script, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('step_2_guard()')) + 1;
  const out = annotateFindings(`${script}:${at}:3: warning: an invented finding [SC2086]\n${script}: line 3: syntax error`);
  assert.match(out, /an invented finding \[SC2086\]\n    at the spec: step 2 "pbx" of host pbx-main: .*, from spec\.yaml:15 pbx\.host, spec\.yaml:11 release\.pbxImage/);
  assert.match(out, /line 3: syntax error\n    at the spec: no step: in the banner/);
});
