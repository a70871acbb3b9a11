// The shell library every host script holds is rendered once per bundle and put back in each
// script in its place: its partials must be plain text, and each script, in the pieces the bundle
// sums, is the same bytes as its content.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile, createToolchain } from '../../../index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from '../../../../test/golden.js';
import { emitBash, SCRIPT_LIBRARY } from './index.js';

test('the library partials are plain text: no Handlebars expression but escaped braces', () => {
  for (const name of SCRIPT_LIBRARY) {
    const text = readFileSync(join(FIXTURES, '..', 'templates', 'partials', `${name}.hbs`), 'utf8');
    assert.doesNotMatch(text.replaceAll('\\{{', ''), /\{\{/, `partials/${name}.hbs`);
  }
});

test('each host script: its chunks are the bytes of its content, the library in them once', () => {
  const toolchain = createToolchain();
  for (const fixture of ['cluster', 'ha-onprem', 'airgap']) {
    const result = compile(readFileSync(join(FIXTURES, fixture, 'spec.yaml')), { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain });
    assert.ok(result.plan, fixture);
    const scripts = [...emitBash(result.plan, toolchain.templates)].filter((f) => f.path.endsWith('/install.sh'));
    assert.ok(scripts.length > 0, fixture);
    for (const f of scripts) {
      assert.ok(f.chunks, `${fixture} ${f.path}: chunks`);
      const bytes = Buffer.concat(f.chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
      assert.ok(bytes.equals(Buffer.from(f.content, 'utf8')), `${fixture} ${f.path}`);
      assert.equal(f.chunks.filter((c) => typeof c !== 'string').length, SCRIPT_LIBRARY.length, `${fixture} ${f.path}: library blocks`);
    }
  }
});
