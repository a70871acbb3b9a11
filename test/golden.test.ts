// Golden files: every fixtures/**/spec.yaml compiles to exactly its expected/ folder.
// Update deliberately with UPDATE_GOLDEN=1 npm test, then read every diff you commit.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { createToolchain } from '../src/index.js';
import { FIXTURES, compileFixture, fixtureDirs, listFiles, readTree, writeTree } from './golden.js';

const toolchain = createToolchain();
const update = process.env['UPDATE_GOLDEN'] === '1';

test('UPDATE_GOLDEN is refused in CI', () => {
  assert.ok(!(update && process.env['CI']), 'UPDATE_GOLDEN=1 is refused when CI is set: goldens change only by an explicit local update');
});

for (const dir of fixtureDirs()) {
  const name = relative(FIXTURES, dir);
  test(`golden: ${name}`, () => {
    const actual = compileFixture(dir, toolchain);
    const expectedDir = join(dir, 'expected');
    if (update && !process.env['CI']) {
      writeTree(expectedDir, actual);
      return;
    }
    assert.ok(existsSync(expectedDir), `${name} has no expected/ folder; create it with: UPDATE_GOLDEN=1 npm test`);
    const expected = readTree(expectedDir);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${name}: the list of files differs from expected/ (UPDATE_GOLDEN=1 npm test, then read the diff)`);
    for (const [path, text] of expected) {
      assert.equal(actual.get(path), text, `${name}/${path} differs from its golden (UPDATE_GOLDEN=1 npm test, then read the diff)`);
    }
  });
}

test('every expected/ folder belongs to a spec.yaml', () => {
  const specs = new Set(fixtureDirs());
  const orphans = listFiles(FIXTURES)
    .filter((f) => f.includes('/expected/'))
    .map((f) => f.slice(0, f.indexOf('/expected/')))
    // Upgrade cases (fixtures/upgrades/<case>) hold old.yaml and new.yaml instead (test/upgrade.test.ts).
    .filter((d) => !specs.has(d) && !(existsSync(join(d, 'old.yaml')) && existsSync(join(d, 'new.yaml'))));
  assert.deepEqual([...new Set(orphans)], [], 'expected/ folders without a spec.yaml (or an upgrade case\'s old.yaml and new.yaml) beside them');
});
