// A bundle directory read into entries for the library's verify rules: a walk with lstat that
// never follows a symbolic link and never opens anything but a regular file, so a FIFO or a
// device inside cannot hang it. Content is read only for files the manifest expects at the size
// found, and never more than that size (plus one byte, to notice growth).
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { expectedSize, MAX_INDEX_BYTES, parseIndex, type BundleEntry, type BundleIndex, type EntryKind } from '../../bundles.js';
import { CliError, ioError } from '../errors.js';
import { kindOf as kindOfPath } from './file-kind.js';

const CHUNK = 1 << 20;

export interface BundleDir {
  index: BundleIndex;
  entries: BundleEntry[];
  manifestSha256: string | null;
}

function kindOf(st: Stats): EntryKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char-device';
  if (st.isBlockDevice()) return 'block-device';
  return 'other';
}

/** Opens a regular file without following a link or blocking, and checks it is the one lstat saw. */
function openRegular(path: string, seen: Stats): number | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null; // replaced or removed since the walk: reported as unreadable
  }
  const st = fstatSync(fd);
  if (!st.isFile() || st.ino !== seen.ino || st.dev !== seen.dev) {
    closeSync(fd);
    return null;
  }
  return fd;
}

/** sha256 of exactly `size` bytes; null when the file holds another amount or cannot be read. */
function hashExactly(path: string, seen: Stats, size: number): string | null {
  const fd = openRegular(path, seen);
  if (fd === null) return null;
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const h = createHash('sha256');
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, 0, Math.min(CHUNK, size + 1 - n), null);
      if (got === 0) break;
      n += got;
      if (n > size) return null;
      h.update(buf.subarray(0, got));
    }
    return n === size ? h.digest('hex') : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** manifest.json or SHA256SUMS: the bytes, or null when absent, not a regular file, or too large. */
function readIndexFile(dir: string, name: string): Buffer | null {
  const path = join(dir, name);
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (!st.isFile() || st.size > MAX_INDEX_BYTES) return null; // the walk names what it is instead
  const fd = openRegular(path, st);
  if (fd === null) return null;
  try {
    const buf = Buffer.allocUnsafe(MAX_INDEX_BYTES + 1);
    let n = 0;
    for (let got = readSync(fd, buf, 0, buf.length, null); got > 0; got = readSync(fd, buf, n, buf.length - n, null)) {
      n += got;
      if (n > MAX_INDEX_BYTES) return null;
    }
    return Buffer.from(buf.subarray(0, n));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Every entry under dir, paths relative to it, sorted; links are reported, never followed. */
function walk(dir: string, visit: (rel: string, st: Stats, abs: string) => void, rel = ''): void {
  const names = readdirSync(join(dir, rel)).sort();
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const abs = join(dir, r);
    const st = lstatSync(abs);
    visit(r, st, abs);
    if (st.isDirectory()) walk(dir, visit, r);
  }
}

/** Reads a bundle directory. `hash`: read the content of the files the manifest expects. */
export function readBundleDir(dir: string, hash: boolean): BundleDir {
  try {
    const manifest = readIndexFile(dir, 'manifest.json');
    const index = parseIndex(manifest, readIndexFile(dir, 'SHA256SUMS'));
    const entries: BundleEntry[] = [];
    walk(dir, (path, st, abs) => {
      const kind = kindOf(st);
      const e: BundleEntry = { path, kind, mode: st.mode & 0o7777, size: kind === 'file' ? st.size : 0 };
      if (kind === 'symlink') {
        try {
          e.target = readlinkSync(abs);
        } catch {
          // reported as a link all the same
        }
      }
      const want = expectedSize(index, path);
      if (hash && kind === 'file' && want !== null && want === st.size) {
        const sha = hashExactly(abs, st, st.size);
        if (sha !== null) e.sha256 = sha;
      }
      entries.push(e);
    });
    return { index, entries, manifestSha256: manifest ? createHash('sha256').update(manifest).digest('hex') : null };
  } catch (e) {
    throw ioError(e, 'read the bundle', dir);
  }
}

/** What `pbxplan verify PATH` was given: a directory, or a file taken for an archive. Anything
 * else (a FIFO, a device, a dangling link) is refused by name, never opened. */
export function bundleKind(path: string): 'dir' | 'archive' {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      // not there at all
    }
    if (link) throw new CliError(`${path} is a symbolic link that leads nowhere; name a bundle directory or archive`);
    throw ioError(e, 'read', path);
  }
  if (st.isDirectory()) return 'dir';
  if (!st.isFile()) throw new CliError(`${path} is ${kindOfPath(st)}; name a bundle directory or a .tar.gz written by 'pbxplan compile --archive'`);
  return 'archive';
}
