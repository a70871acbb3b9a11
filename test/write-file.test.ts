// CompilerHost.writeFile: every file of the bundle handed over one at a time, the same bytes as
// compile() returns, none kept in the result, manifest.json and SHA256SUMS last (they sum the rest).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile, compileUpgrade, createToolchain, type RenderedFile } from '../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from './golden.js';

const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: createToolchain() };

function streamed(run: (writeFile: (f: RenderedFile) => void) => { files?: RenderedFile[] }) {
  const got: RenderedFile[] = [];
  const r = run((f) => got.push(f));
  assert.equal(r.files, undefined, 'the files went to writeFile, not into the result');
  assert.deepEqual(got.slice(-2).map((f) => f.path), ['manifest.json', 'SHA256SUMS']);
  return got.sort((a, b) => (a.path < b.path ? -1 : 1));
}

test('compile with writeFile streams exactly the files compile() returns', () => {
  for (const name of ['cluster', 'ha-onprem']) {
    const text = readFileSync(join(FIXTURES, name, 'spec.yaml'), 'utf8');
    const held = compile(text, opts);
    assert.ok(held.ok && held.files);
    const got = streamed((writeFile) => compile(text, { ...opts, host: { writeFile } }));
    assert.deepEqual(got, held.files, name);
    assert.ok(got.every((f) => !('regions' in f)), 'line regions stay inside phase 5');
  }
});

test('an upgrade bundle streams too, and only the upgrade bundle (not the two compiles it compares)', () => {
  const spec = readFileSync(join(FIXTURES, 'upgrades', 'cluster', 'old.yaml'), 'utf8');
  const newer = readFileSync(join(FIXTURES, 'upgrades', 'cluster', 'new.yaml'), 'utf8');
  const held = compileUpgrade(newer, { spec }, opts);
  assert.ok(held.ok && held.files, held.refusal ?? held.diagnostics[0]?.message);
  const got = streamed((writeFile) => compileUpgrade(newer, { spec }, { ...opts, host: { writeFile } }));
  assert.deepEqual(got, held.files);
});
