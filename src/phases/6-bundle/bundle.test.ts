// The bundle index sums each file from its UTF-8 bytes: the sizes and checksums of files of every
// length and alphabet, one after another, are those of the text encoded on its own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { bundle, bundler } from './bundle.js';

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

test('a file given in chunks is summed from them: the bytes of its content', () => {
  const content = 'head\nlibrary … text\ntail';
  const chunks = ['head\n', Buffer.from('library … text\n', 'utf8'), 'tail'];
  const b = bundler({ generatedBy: 'test', specSha256: '0', clusterName: 'c' });
  b.add({ path: 'chunked', content, mode: 0o755, chunks });
  b.add({ path: 'whole', content, mode: 0o755 });
  const { files } = JSON.parse(b.finish()[0]!.content) as { files: { path: string; size: number; sha256: string }[] };
  assert.deepEqual({ ...files[0], path: 'whole' }, files[1]);
  assert.equal(files[0]!.size, Buffer.byteLength(content));
});

test('bundle() hands back the files without their chunks', () => {
  const files = bundle({ files: [{ path: 'a.sh', content: 'x\n', mode: 0o755, chunks: ['x\n'] }], generatedBy: 'test', specSha256: '0', clusterName: 'c' });
  assert.deepEqual(files.find((f) => f.path === 'a.sh'), { path: 'a.sh', content: 'x\n', mode: 0o755 });
});
