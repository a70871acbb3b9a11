// The one escaper and the source excerpt: what every output format prints of spec text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from './diagnostic.js';
import { formatDiagnostics } from './format.js';
import { escapeControls, safeText, shorten } from './safe-text.js';
import { formatPath } from './yaml-path.js';

test('escapeControls: C0, DEL, C1, bidirectional and zero-width characters, lone surrogates', () => {
  assert.equal(escapeControls('a\x1b[31mb\x07\t\n'), 'a\\x1b[31mb\\x07\\x09\\x0a');
  assert.equal(escapeControls('x\x7f\x9by'), 'x\\x7f\\x9by');
  assert.equal(escapeControls('abc\u202edef\u2066\u2069\u200b\ufeff'), 'abc\\u202edef\\u2066\\u2069\\u200b\\ufeff');
  assert.equal(escapeControls('\ud83d'), '\\ud83d');
  // Printable text, accents, CJK, emoji and NBSP pass; escaping twice changes nothing.
  for (const ok of ['é ß 中文 🙂 \u00a0 "quoted" \\ back']) assert.equal(escapeControls(ok), ok);
  assert.equal(escapeControls(escapeControls('a\x1bb')), 'a\\x1bb');
});

test('shorten and safeText: long values are cut with their length, secrets masked first', () => {
  assert.equal(shorten('x'.repeat(10)), 'x'.repeat(10));
  assert.equal(shorten('x'.repeat(250)), `${'x'.repeat(200)}… (250 characters)`);
  assert.equal(safeText('token kR7vQ2mX9pLw4ZtB8nYc3HdF6sJa1GeU here'), 'token kR7v… here');
  // A secret that straddles the cut is masked before the cut.
  assert.ok(!safeText(`${'a '.repeat(95)}kR7vQ2mX9pLw4ZtB8nYc3HdF6sJa1GeU`).includes('Q2mX'));
});

test('formatPath escapes, masks and shortens keys', () => {
  assert.equal(formatPath(['servers', 0, 'name']), 'servers[0].name');
  assert.equal(formatPath(['a\x1bb']), '["a\\u001bb"]');
  assert.equal(formatPath(['x\u202ey']), '["x\\u202ey"]');
  assert.equal(formatPath(['kR7vQ2mX9pLw4ZtB8nYc3HdF6sJa1GeU']), '["kR7v…"]');
  assert.ok(formatPath(['k'.repeat(1000)]).length < 100);
});

const diag = (line: number, col: number, endCol: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'schema_enum',
  severity: 'error',
  message: 'm',
  path: ['a'],
  span: { line, col, endLine: line, endCol },
  hint: 'h',
  ...extra,
});

test('excerpt: carets stay under the span when characters before it are escaped', () => {
  const source = 'a: "\x1b\x1b" bad\n';
  const out = formatDiagnostics([diag(1, 9, 12)], 'pretty', { file: 's.yaml', source, color: false });
  const lines = out.split('\n');
  const text = lines.find((l) => l.startsWith('1 |'))!;
  const carets = lines[lines.indexOf(text) + 1]!;
  assert.equal(text, '1 | a: "\\x1b\\x1b" bad');
  assert.equal(text.indexOf('bad'), carets.indexOf('^'));
  assert.match(carets, /^  \| +\^{3}$/);
});

test('excerpt: a long line is cut to a window around the span, with a note', () => {
  const source = `a: ${'x'.repeat(5000)}BAD${'y'.repeat(5000)}\n`;
  const out = formatDiagnostics([diag(1, 5004, 5007)], 'pretty', { file: 's.yaml', source, color: false });
  const lines = out.split('\n');
  const text = lines.find((l) => l.startsWith('1 |'))!;
  const carets = lines[lines.indexOf(text) + 1]!;
  assert.ok(text.length < 220, `${text.length}`);
  assert.ok(text.startsWith('1 | …') && text.endsWith('…'));
  assert.equal(text.indexOf('BAD'), carets.indexOf('^'));
  assert.match(out, /note: line 1 is 10,006 characters long; shown are characters 4944–5143/);
});

test('excerpt: every secret on the line is masked, whatever the diagnostic', () => {
  const source = 'token: kR7vQ2mX9pLw4ZtB8nYc3HdF6sJa1GeU # and MJC4NZBLYTGTZTJJNS0ZMWZHLWIXZDCTZJLLMDEWZJHKZTAY\n';
  const out = formatDiagnostics([diag(1, 1, 6)], 'pretty', { file: 's.yaml', source, color: false });
  assert.match(out, /1 \| token: kR7v\*{28} # and MJC4\*{44}\n/);
});

test('excerpt: bytes are shown as the loader reads them (a BOM is dropped, bad bytes are U+FFFD)', () => {
  const source = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: b'), Buffer.from([0xe9]), Buffer.from('\n')]);
  const out = formatDiagnostics([diag(1, 5, 6)], 'pretty', { file: 's.yaml', source, color: false });
  assert.match(out, /1 \| a: b\ufffd\n {2}\| {5}\^/);
});
