// The archive writer against the system's tar and gzip, and the reader against the writer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { gzipSync } from 'node:zlib';
import { ARCHIVE_MTIME, GZIP_HEADER, crc32, gzipStream, tarEntries, tarHeader, tarStream } from './archive.js';
import { readArchive } from './read-archive.js';

const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-archive-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const FILES = [
  { path: 'SHA256SUMS', mode: 0o644, body: 'sums\n' },
  { path: 'hosts/pbx/install.sh', mode: 0o755, body: '#!/usr/bin/env bash\necho hi\n' },
  { path: 'artifacts/debs/docker-ce_5%3a27.3.1-1~ubuntu.24.04~noble_amd64.deb', mode: 0o644, body: 'x'.repeat(1000) },
  { path: 'empty', mode: 0o644, body: '' },
];

async function build(files = FILES, chunk = 7): Promise<Buffer> {
  const entries = tarEntries('site', files.map((f) => ({ path: f.path, mode: f.mode, size: Buffer.byteLength(f.body) })));
  const body = new Map(files.map((f) => [`site/${f.path}`, Buffer.from(f.body)]));
  // Contents arrive in small pieces: the output must not depend on how they are chunked.
  const content = function* (e: { path: string }) {
    const b = body.get(e.path)!;
    for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk);
  };
  const out: Buffer[] = [];
  for await (const c of gzipStream(tarStream(entries, content))) out.push(c);
  return Buffer.concat(out);
}

test('GNU tar lists the archive with fixed owner, modes and time, directories first', async () => {
  const file = join(tmp, 'a.tar.gz');
  writeFileSync(file, await build());
  const r = spawnSync('tar', ['--numeric-owner', '--full-time', '-tvzf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(/\s+/).at(-1)), ['site/', 'site/SHA256SUMS', 'site/artifacts/', 'site/artifacts/debs/', 'site/artifacts/debs/docker-ce_5%3a27.3.1-1~ubuntu.24.04~noble_amd64.deb', 'site/empty', 'site/hosts/', 'site/hosts/pbx/', 'site/hosts/pbx/install.sh']);
  for (const l of lines) {
    assert.match(l, /^[d-]rw[x-]r-[x-]r-[x-] 0\/0 +\d+ 2000-01-01 00:00:00 /, l);
  }
  assert.match(lines.find((l) => l.endsWith('install.sh'))!, /^-rwxr-xr-x/);
  assert.equal(ARCHIVE_MTIME, Date.UTC(2000, 0, 1) / 1000);
  const x = spawnSync('tar', ['-xzf', file, '-C', tmp]);
  assert.equal(x.status, 0);
  assert.equal(readFileSync(join(tmp, 'site/hosts/pbx/install.sh'), 'utf8'), FILES[1]!.body);
});

test('gzip: fixed header (no time, no name), valid for gzip -t, size a multiple of the tar record once unpacked', async () => {
  const gz = await build();
  assert.deepEqual(gz.subarray(0, 10), GZIP_HEADER);
  const file = join(tmp, 'b.tar.gz');
  writeFileSync(file, gz);
  assert.equal(spawnSync('gzip', ['-t', file]).status, 0);
  assert.equal(gunzipSync(gz).length % 10240, 0);
});

test('the same inputs give the same bytes, however the contents are chunked', async () => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(sha(await build(FILES, 7)), sha(await build(FILES, 4096)));
  assert.notEqual(sha(await build(FILES)), sha(await build([...FILES.slice(0, 3), { ...FILES[3]!, body: '!' }])));
});

test('the reader sees exactly what the writer wrote', async () => {
  // Without an index (no SHA256SUMS, no manifest.json) every file is hashed: with one, only what it lists.
  const files = FILES.filter((f) => f.path !== 'SHA256SUMS');
  const gz = await build(files);
  // Fed in odd-sized pieces: the result must not depend on how the bytes arrive.
  const pieces = function* () {
    for (let i = 0; i < gz.length; i += 333) yield gz.subarray(i, i + 333);
  };
  const r = await readArchive(pieces(), gz.length);
  assert.equal(r.top, 'site');
  assert.deepEqual(r.findings, []);
  assert.ok(r.complete);
  const found = r.entries.filter((e) => e.kind === 'file').map((e) => [e.path, e.sha256]);
  const sha = (b: string) => createHash('sha256').update(b).digest('hex');
  assert.deepEqual(Object.fromEntries(found), Object.fromEntries(files.map((f) => [f.path, sha(f.body)])));
  assert.deepEqual(r.entries.filter((e) => e.kind === 'dir').map((e) => e.path), ['artifacts', 'artifacts/debs', 'hosts', 'hosts/pbx']);
  assert.ok(r.entries.every((e) => e.owner?.uid === 0 && e.owner.gid === 0 && e.owner.uname === 'root'));
  assert.equal(r.entries.find((e) => e.path === 'hosts/pbx/install.sh')?.mode, 0o755);
});

test('long paths use the ustar prefix; sizes beyond 8 GiB use base-256, and the reader reads both', async () => {
  const long = `site/${'a'.repeat(90)}/${'b'.repeat(90)}.deb`;
  const h = tarHeader({ path: long, type: 'file', mode: 0o644, size: 9 * 2 ** 30 });
  assert.equal(h.subarray(345, 345 + 95).toString().replace(/\0+$/, ''), `site/${'a'.repeat(90)}`);
  assert.equal(h[124], 0x80);
  // A header alone: 9 GiB declared in a few hundred compressed bytes is refused unread.
  const gz = gzipSync(Buffer.concat([h, Buffer.alloc(1024)]));
  const r = await readArchive([gz], gz.length);
  assert.equal(r.entries[0]?.path, long.slice('site/'.length));
  assert.equal(r.entries[0]?.size, 9 * 2 ** 30);
  assert.ok(!r.complete);
  assert.match(r.findings[0]!.reason, /declares 9663676416 bytes/);
});

test('crc32 matches the reference value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});
