// The one quoting helper per output language: what a hostile value can never do in a bundle.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from '../../../../test/golden.js';
import { compile, createToolchain } from '../../../index.js';
import { comment, md, shq, shqWords, visible } from './helpers.js';

test('md and comment drop control, zero-width and bidirectional characters', () => {
  for (const bad of ['\u202e', '\u2066', '\u200b', '\x1b', '\x9b', '\ufeff', '\n']) {
    assert.ok(!md(`a${bad}b`).includes(bad), JSON.stringify(bad));
    assert.ok(!comment(`a${bad}b`).includes(bad), JSON.stringify(bad));
  }
  assert.equal(shq("it's"), `'it'\\''s'`);
});

test('a description with a bidi override never reaches the bundle', () => {
  const text = readFileSync(join(FIXTURES, 'cluster', 'spec.yaml'), 'utf8').replace(/^  description: .*$/m, '  description: "evil \u202egnp.exe"');
  const r = compile(text, { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: createToolchain() });
  assert.ok(r.ok, JSON.stringify(r.diagnostics.map((d) => d.message)));
  for (const f of r.files!) if (f.path !== 'plan.json') assert.ok(!f.content.includes('\u202e'), f.path);
});

test('md, comment and visible change exactly what their replacements change, and return the rest as given', () => {
  const slow = {
    md: (v: string) => v.replace(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1'),
    plain: (v: string) => v.replace(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g, ' '),
  };
  const values = ['', 'media-0', '10.0.0.1', 'servers[3]', 'a_b*c`d|e<f>g\\h', 'x\u202ey', 'tab\there', '\x00\x01', 'spec.yaml:12', 'ünïcode ✓', 'a\u2066\u2069b'];
  for (const v of values) {
    assert.equal(md(v), slow.md(v), JSON.stringify(v));
    assert.equal(comment(v), slow.plain(v), JSON.stringify(v));
    assert.equal(visible(v), slow.plain(v), JSON.stringify(v));
  }
  assert.equal(md(42), '42');
});

test('shqWords: each item (or its field) quoted by shq, one space between; a missing list or field is an error', () => {
  const options = { hash: {} }; // what Handlebars passes last
  assert.equal(shqWords(['a', "it's", 'b c'], options), `a 'it'\\''s' 'b c'`);
  assert.equal(shqWords([], options), '');
  assert.equal(shqWords([{ id: 'x-1' }, { id: '$(x)' }], 'id', options), `x-1 '$(x)'`);
  assert.throws(() => shqWords(undefined, options), /expected a list/);
  assert.throws(() => shqWords([{ other: 1 }], 'id', options), /item 0 has no field "id"/);
  assert.throws(() => shqWords([null], options), /shq: expected a string or number/);
});
