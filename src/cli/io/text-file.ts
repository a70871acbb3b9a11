// Writing one text file the user named (pbxplan init -o FILE): never through a symbolic link,
// never over a directory or anything but a regular file, replacing a file only with --force, and
// atomically (a temporary name beside it, renamed into place).
import { lstatSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, ioError } from '../errors.js';
import { onInterrupt, removePath } from './cleanup.js';
import { kindOf } from './file-kind.js';

export function writeTextFile(path: string, text: string, force: boolean): void {
  let st = null;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(e, 'write', path);
  }
  if (st?.isSymbolicLink()) throw new CliError(`${path} is a symbolic link; pbxplan does not write through links, even with --force: name the file itself`);
  if (st?.isDirectory()) throw new CliError(`${path} is a directory; name the file to write, e.g. -o ${join(path, 'cluster.yaml')}`);
  if (st && !st.isFile()) throw new CliError(`${path} is ${kindOf(st)}; name a regular file to write`);
  if (st && !force) throw new CliError(`${path} exists; use --force to overwrite it`);
  const tmp = join(dirname(path), `.${basename(path)}.pbxplan-${process.pid}.tmp`);
  const undo = onInterrupt(() => removePath(tmp));
  try {
    writeFileSync(tmp, text, { flag: 'wx', mode: 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    removePath(tmp);
    throw ioError(e, 'write', path);
  } finally {
    undo();
  }
}
