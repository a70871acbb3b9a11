// Every code has its texts, an explanation, and at least one fixture that produces it; every
// error fixture is named after a code it produces.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { main } from '../cli/main.js';
import { fixtureDirs, FIXTURES, REPO } from '../../test/golden.js';
import { CODES } from './codes.js';

const goldenDiagnostics = fixtureDirs()
  .map((d) => join(d, 'expected', 'diagnostics.txt'))
  .filter((f) => existsSync(f))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

test('every code has a message, a hint and a doc paragraph, and snake_case naming', () => {
  for (const [code, e] of Object.entries(CODES)) {
    assert.match(code, /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/, `${code}: snake_case, subject first`);
    assert.ok(e.message.length > 10, `${code}: message`);
    assert.ok(e.hint.trim().length > 0, `${code}: hint`);
    assert.ok(e.doc.length > 40, `${code}: doc paragraph`);
  }
});

test('every code appears in at least one golden diagnostics.txt', () => {
  const missing = Object.keys(CODES).filter((c) => !goldenDiagnostics.includes(`[${c}]`));
  assert.deepEqual(missing, [], 'codes without a fixture that produces them');
});

test('every error fixture produces the code it is named after', () => {
  for (const dir of fixtureDirs().filter((d) => d.startsWith(join(FIXTURES, 'errors') + '/'))) {
    const code = basename(dir);
    assert.ok(code in CODES, `fixtures/errors/${code} is not a known code`);
    const diag = readFileSync(join(dir, 'expected', 'diagnostics.txt'), 'utf8');
    assert.ok(diag.includes(`[${code}]`), `fixtures/errors/${code} does not produce ${code}`);
  }
});

test('pbxplan explain works for every code, and suggests a near miss', async () => {
  for (const code of Object.keys(CODES)) {
    let out = '';
    const rc = await main(['explain', code], { out: (s) => (out += s), err: () => {}, stderrIsTty: false, stdinIsTty: false, env: {}, cwd: null });
    assert.equal(rc, 0, code);
    assert.ok(out.startsWith(`${code} (`), code);
    assert.ok(out.includes(CODES[code as keyof typeof CODES].doc), code);
  }
  let err = '';
  const rc = await main(['explain', 'host_ip_duplicat'], { out: () => {}, err: (s) => (err += s), stderrIsTty: false, stdinIsTty: false, env: {}, cwd: null });
  assert.equal(rc, 2);
  assert.match(err, /did you mean "host_ip_duplicate"/);
});

test('the README lists every code with its severity', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  for (const [code, e] of Object.entries(CODES)) {
    assert.ok(readme.includes(`| \`${code}\` | ${e.severity} |`), `README.md does not list ${code} (${e.severity})`);
  }
});
