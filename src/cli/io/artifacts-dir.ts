// The directory given to --artifacts, as the compiler asks for it (an ArtifactSource): the names
// it holds and the size and sha256 of the files the plan uses, and later the copy of those files
// into the bundle. Only regular files that resolve inside the directory are ever read: a
// symbolic link is followed only when its target is a regular file inside the directory too (so
// `scripts/pbx_ctl.sh -> /etc/shadow` is refused by name), FIFOs and devices are refused, and a
// file is opened without following links and checked to be the one that was hashed.
import { createHash } from 'node:crypto';
import { constants, createReadStream, createWriteStream, lstatSync, openSync, closeSync, fstatSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ARTIFACT_NAME, type ArtifactCopy, type ArtifactSource } from '../../compiler.js';
import { silentProgress, type Progress } from '../../startup.js';
import { CliError, ioError } from '../errors.js';
import { kindOf } from './file-kind.js';

const CHUNK = 1 << 20;

interface Found {
  /** The real path read (the link target for an accepted link). */
  real: string;
  /** Why it is refused, when it is. */
  refused: string | null;
  /** Device and inode of what was hashed: the copy must read the same file. */
  dev?: number;
  ino?: number;
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

export interface ArtifactsDir extends ArtifactSource {
  /** Copies one file the compiler planned into the bundle, checking it is what was hashed;
   * `copied` hears how many of its bytes are done. */
  copy(c: ArtifactCopy, to: string, copied?: (bytes: number) => void): Promise<void>;
}

export function artifactsDir(dir: string, label: string, allowMissing: boolean, progress: Progress = silentProgress): ArtifactsDir {
  const found = new Map<string, Found>();
  let root: string | null = null;

  const realRoot = (): string => {
    if (root !== null) return root;
    let st: Stats;
    try {
      st = statSync(dir);
      root = realpathSync(dir);
    } catch (e) {
      throw ioError(e, 'read the artifacts directory', dir);
    }
    if (!st.isDirectory()) throw new CliError(`--artifacts ${dir} is ${kindOf(st)}, not a directory; name the directory that holds scripts/, images/, debs/ …`);
    return root;
  };

  const walk = (rel: string, out: string[]) => {
    const base = realRoot();
    for (const name of readdirSync(join(base, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = join(base, r);
      const st = lstatSync(abs);
      if (st.isDirectory()) {
        walk(r, out);
        continue;
      }
      if (st.isFile()) {
        found.set(r, { real: abs, refused: null });
      } else if (st.isSymbolicLink()) {
        let real: string | null = null;
        let target: Stats | null = null;
        try {
          real = realpathSync(abs);
          target = statSync(real);
        } catch {
          // dangling or looping: refused below
        }
        if (target?.isDirectory()) {
          throw new CliError(`${join(dir, r)} is a symbolic link to a directory; pbxplan reads only files inside ${dir}: copy the files there (or bind-mount the directory)`);
        }
        if (real === null || target === null) found.set(r, { real: abs, refused: 'is a symbolic link that leads nowhere' });
        else if (!inside(base, real)) found.set(r, { real, refused: `is a symbolic link to ${real}, outside ${dir}; put the file itself into ${dir}` });
        else if (!target.isFile()) found.set(r, { real, refused: `is a symbolic link to ${kindOf(target)}` });
        else found.set(r, { real, refused: null });
      } else {
        found.set(r, { real: abs, refused: `is ${kindOf(st)}, not a regular file` });
      }
      out.push(r);
    }
  };

  /** Opens a listed file for reading: never through a link, never anything but a regular file. */
  const openListed = (path: string): { fd: number; st: Stats; f: Found } => {
    const f = found.get(path);
    if (!f) throw new CliError(`${join(dir, path)} was not found in the artifacts directory`);
    if (f.refused) throw new CliError(`${join(dir, path)} ${f.refused}; pbxplan copies only regular files inside the artifacts directory`);
    let fd: number;
    try {
      fd = openSync(f.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new CliError(`${join(dir, path)} became a symbolic link while pbxplan read it; run compile again`);
      throw ioError(e, 'read the artifact', join(dir, path));
    }
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      throw new CliError(`${join(dir, path)} is ${kindOf(st)}, not a regular file`);
    }
    return { fd, st, f };
  };

  return {
    label,
    allowMissing,
    list() {
      try {
        const out: string[] = [];
        walk('', out);
        return out;
      } catch (e) {
        throw ioError(e, 'read the artifacts directory', dir);
      }
    },
    digest(path) {
      if (!path.split('/').every((seg) => ARTIFACT_NAME.test(seg))) {
        throw new CliError(`${join(dir, path)}: unsupported file name; use letters, digits and . _ + ~ % : - only`);
      }
      const { fd, st, f } = openListed(path);
      try {
        const buf = Buffer.allocUnsafe(CHUNK);
        const h = createHash('sha256');
        let size = 0;
        for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
          h.update(buf.subarray(0, n));
          size += n;
          progress.bytes(size, Math.max(size, st.size), `hashing ${path}`);
        }
        progress.done();
        f.dev = st.dev;
        f.ino = st.ino;
        return { size, sha256: h.digest('hex') };
      } catch (e) {
        throw ioError(e, 'read the artifact', join(dir, path));
      } finally {
        closeSync(fd);
      }
    },
    async copy(c, to, copied) {
      const { fd, st, f } = openListed(c.from);
      if (f.ino !== undefined && (st.ino !== f.ino || st.dev !== f.dev)) {
        closeSync(fd);
        throw new CliError(`${join(dir, c.from)} was replaced while the bundle was written; run compile again`);
      }
      const h = createHash('sha256');
      let n = 0;
      const hashing = new Transform({
        transform(chunk: Buffer, _e, cb) {
          h.update(chunk);
          n += chunk.length;
          copied?.(n);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(createReadStream('', { fd, highWaterMark: CHUNK }), hashing, createWriteStream(to, { flags: 'wx', mode: c.mode }));
      } catch (e) {
        throw ioError(e, 'copy the artifact', join(dir, c.from));
      }
      if (h.digest('hex') !== c.sha256) throw new CliError(`${join(dir, c.from)} changed while the bundle was written; run compile again`);
    },
  };
}
