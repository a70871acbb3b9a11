import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squeezeBlankLines } from './blank-lines.js';

const byRegex = (s: string) => s.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n');

test('squeezeBlankLines keeps one blank line of each run and one final newline, as the regular expressions did', () => {
  const cases = ['', 'a', '\n', '\n\n', '\n\n\n', '\n\n\n\n\n', 'a\n', 'a\n\n', 'a\n\n\n', 'a\n\n\n\nb', 'a\nb\n\nc\n\n\nd\n\n\n\n', '\n\n\na', 'a\r\n\r\n\r\nb', 'x\n\n\ny\n\n\n\n\nz\n\n'];
  for (const s of cases) assert.equal(squeezeBlankLines(s), byRegex(s), JSON.stringify(s));
});

test('squeezeBlankLines agrees with the regular expressions on random text', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 500; i++) {
    let s = '';
    for (let n = next() % 40; n > 0; n--) s += next() % 3 ? '\n' : 'ab'[next() % 2];
    assert.equal(squeezeBlankLines(s), byRegex(s), JSON.stringify(s));
  }
});
