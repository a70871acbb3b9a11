// Every golden install.sh is valid bash and passes shellcheck with no findings at any severity.
// Without shellcheck the test reports itself skipped; REQUIRE_SHELLCHECK=1 (CI) makes that a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, listFiles } from '../../../../test/golden.js';

const scripts = listFiles(FIXTURES).filter((f) => f.includes('/expected/') && f.endsWith('.sh'));
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

test('there are golden scripts to check', () => {
  assert.ok(scripts.length >= 10, `found only ${scripts.length} golden scripts`);
});

test('bash -n accepts every golden script', () => {
  for (const f of scripts) {
    const r = spawnSync('bash', ['-n', f], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${relative(FIXTURES, f)}: ${r.stderr}`);
  }
});

test('shellcheck finds nothing in any golden script', (t) => {
  if (!hasShellcheck) {
    assert.ok(process.env['REQUIRE_SHELLCHECK'] !== '1', 'shellcheck is not installed but REQUIRE_SHELLCHECK=1');
    t.skip('shellcheck not installed (set REQUIRE_SHELLCHECK=1 to make this a failure)');
    return;
  }
  // One call for all files: shellcheck is slow to start.
  const r = spawnSync('shellcheck', ['--severity=style', '--format=gcc', ...scripts], { encoding: 'utf8' });
  assert.equal(r.status, 0, `shellcheck findings:\n${r.stdout}${r.stderr}`);
});
