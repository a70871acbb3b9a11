// Reading one small file of a bundle (sourcemap.json, manifest.json, a script to check): a regular
// file only, opened without following a link or blocking, never more than `max` bytes; and
// finding the bundle a path lies in.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError, ioError } from '../errors.js';
import { kindOf } from './file-kind.js';

export function readBundleFile(path: string, max: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(e, 'read', path);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CliError(`${path} is ${kindOf(st)}, where the bundle holds a regular file; check the bundle with 'pbxplan verify'`);
    if (st.size > max) throw new CliError(`${path} is larger than a bundle's file of its kind (${max} bytes); check the bundle with 'pbxplan verify'`);
    const buf = Buffer.allocUnsafe(max + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > max) throw new CliError(`${path} grew while it was read; run again`);
    }
    return buf.subarray(0, n);
  } catch (e) {
    throw ioError(e, 'read', path);
  } finally {
    closeSync(fd);
  }
}

/** The nearest folder at or above `dir` holding a bundle's sourcemap.json and manifest.json. */
export function findBundleRoot(dir: string, sourceMap: string): string | null {
  for (let d = resolve(dir), i = 0; i < 64; d = dirname(d), i++) {
    if (isFile(join(d, sourceMap)) && isFile(join(d, 'manifest.json'))) return d;
    if (dirname(d) === d) break;
  }
  return null;
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
