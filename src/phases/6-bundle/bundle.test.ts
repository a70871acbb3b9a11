// The bundle index sums each file from its UTF-8 bytes: the sizes and checksums of files of every
// length and alphabet, one after another, are those of the text encoded on its own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { bundler } from './bundle.js';

test('each file: its UTF-8 size and sha256, whatever came before it', () => {
  const texts = ['', 'a', '#!/usr/bin/env bash\n', 'ARG… → ünïcode\n', '\u{1f600} and a lone \ud800 surrogate', 'x'.repeat(200_000), '…'.repeat(70_000), 'y'.repeat((1 << 20) + 1), 'short again'];
  const b = bundler({ generatedBy: 'test', specSha256: '0', clusterName: 'c' });
  for (const [i, content] of texts.entries()) b.add({ path: `f${i}`, content, mode: 0o644 });
  const manifest = JSON.parse(b.finish()[0]!.content) as { files: { path: string; size: number; sha256: string }[] };
  for (const [i, content] of texts.entries()) {
    const bytes = Buffer.from(content, 'utf8');
    assert.deepEqual(
      manifest.files.find((f) => f.path === `f${i}`),
      { path: `f${i}`, size: bytes.length, mode: '0644', sha256: createHash('sha256').update(bytes).digest('hex') },
      `text ${i}`,
    );
  }
});
