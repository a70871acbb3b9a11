// Archive files: writing the bundle's reproducible .tar.gz (the bytes come from the library's
// writer; here they go to a temporary file) and opening one for `pbxplan verify` (a regular
// file only: a FIFO or device is refused, not read).
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, createWriteStream, fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipStream, tarEntries, tarStream } from '../../bundles.js';
import { silentProgress, type Progress } from '../../startup.js';
import { CliError, ioError } from '../errors.js';
import { kindOf } from './file-kind.js';

export interface ArchiveListing {
  path: string;
  mode: number;
  size: number;
}

/**
 * Streams the staged bundle into a reproducible .tar.gz (entries under `top`/) at `out`, which
 * must not exist yet, and returns its size and sha256. Contents are read back from the staged
 * files: the archive holds what the directory holds.
 */
export async function writeArchive(stagedDir: string, files: ArchiveListing[], top: string, out: string, progress: Progress = silentProgress): Promise<{ size: number; sha256: string }> {
  const entries = tarEntries(top, files);
  const total = files.reduce((a, f) => a + f.size, 0);
  let packed = 0;
  async function* content(e: { path: string }) {
    for await (const chunk of createReadStream(join(stagedDir, ...e.path.slice(top.length + 1).split('/')), { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      packed += chunk.length;
      progress.bytes(packed, total, `packing ${top}.tar.gz`);
      yield chunk;
    }
  }
  const h = createHash('sha256');
  let size = 0;
  async function* hashed(src: AsyncIterable<Buffer>) {
    for await (const chunk of src) {
      h.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(hashed(gzipStream(tarStream(entries, content)))), createWriteStream(out, { flags: 'wx', mode: 0o644 }));
  return { size, sha256: h.digest('hex') };
}

/** An archive to verify: its bytes as a stream, and its size (which bounds decompression). */
export function openArchive(path: string, progress: Progress = silentProgress): { stream: AsyncIterable<Uint8Array>; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(e, 'read', path);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new CliError(`${path} is ${kindOf(st)}; name a bundle directory or a .tar.gz written by 'pbxplan compile --archive'`);
  }
  const size = st.size;
  async function* counted() {
    let read = 0;
    for await (const chunk of createReadStream('', { fd, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      read += chunk.length;
      progress.bytes(read, size, `verifying ${path}`);
      yield chunk;
    }
  }
  return { stream: counted(), size };
}
