// The build turns schema, templates and starter specs into code (scripts/generate-assets.ts →
// src/generated/). What the tests and the CLI run must be that code as the sources make it now.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './golden.js';

test('src/generated/ is what the sources generate now (npm run build regenerates it)', () => {
  const out = mkdtempSync(join(tmpdir(), 'pbxplan-assets-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'generate-assets.ts'), out], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const names = readdirSync(out).sort();
    assert.deepEqual(names, ['files.ts', 'templates.ts', 'validator.ts', 'version.ts']);
    for (const n of names) {
      assert.ok(readFileSync(join(REPO, 'src', 'generated', n), 'utf8') === readFileSync(join(out, n), 'utf8'), `src/generated/${n} is stale: run npm run build`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
