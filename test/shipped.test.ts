// What users run is what is tested: every golden fixture compiled by the shipped CLI (package.json's
// bin, the bundled dist/bin/pbxplan.js, built by `npm test`), its bundle on disk and its
// diagnostics compared byte for byte with expected/, as test/golden.test.ts compares the library's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { TextDecoder } from 'node:util';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, fixtureDirs, fixtureOptions, readTree } from './golden.js';

const BIN = join(REPO, (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: { pbxplan: string } }).bin.pbxplan);
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-shipped-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the shipped CLI is the bundle (package.json bin names dist/bin/pbxplan.js, and it is built)', () => {
  assert.equal(relative(REPO, BIN), join('dist', 'bin', 'pbxplan.js'));
  assert.ok(existsSync(BIN), `${BIN} is missing: run npm run build`);
});

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

fixtureDirs().forEach((dir, i) => {
  const name = relative(FIXTURES, dir);
  test(`shipped CLI, golden: ${name}`, () => {
    const out = join(tmp, String(i));
    const args = ['compile', 'spec.yaml', '-o', out, '--today', GOLDEN_TODAY, ...(fixtureOptions(dir).ansible ? ['--ansible'] : []), ...(existsSync(join(dir, 'artifacts')) ? ['--artifacts', 'artifacts'] : [])];
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY, NO_COLOR: '1' } });
    if (!isUtf8(readFileSync(join(dir, 'spec.yaml')))) {
      // The CLI reads a spec as UTF-8 before compiling it: bytes that are not are a usage error.
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^pbxplan: spec\.yaml:\d+:\d+: the spec is not valid UTF-8/);
      return;
    }
    const expected = readTree(join(dir, 'expected'));
    const diagnostics = expected.get('diagnostics.txt');
    expected.delete('diagnostics.txt');
    const failed = [...expected.keys()].length === 0;
    assert.equal(r.status, failed ? 1 : 0, r.stderr);
    if (diagnostics !== undefined) assert.ok(r.stderr.startsWith(diagnostics), `${name}: the diagnostics on stderr differ from expected/diagnostics.txt:\n${r.stderr}`);
    else if (failed) assert.fail(`${name}: no bundle and no diagnostics expected`);
    const actual = readTree(out);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${name}: the files written differ from expected/`);
    for (const [path, text] of expected) assert.equal(actual.get(path), text, `${name}/${path} differs from its golden`);
  });
});
