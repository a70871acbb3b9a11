// Writing the bundle (and its archive) atomically, and only where it is safe:
// - never to `/`, a home directory, the current directory (or one holding it), or a directory
//   holding the spec or the artifacts directory; never through a symbolic link;
// - a non-empty directory only with --force, and then only when it holds an earlier pbxplan
//   bundle (its manifest.json made by pbxplan, exactly the files it lists); nothing is touched
//   when it is refused;
// - one run at a time per output: a lock file beside it (`.<name>.pbxplan.lock`, holding the
//   pid) makes a second run fail at once;
// - everything is written under temporary names beside the target (`.<name>.pbxplan-<pid>.tmp`)
//   and renamed into place only when complete; an interrupted run removes them (cleanup.ts), and
//   the names of a run killed outright (SIGKILL) are recognised by their dead pid and removed
//   by the next run.
import { closeSync, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeFileSync, chmodSync, linkSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { replaceProblem } from '../../bundles.js';
import type { ArtifactCopy, RenderedFile } from '../../compiler.js';
import { silentProgress, type Progress } from '../../startup.js';
import { CliError, ioError } from '../errors.js';
import type { ArtifactsDir } from './artifacts-dir.js';
import { writeArchive, type ArchiveListing } from './archives.js';
import { readBundleDir } from './bundle-dir.js';
import { onInterrupt, removePath } from './cleanup.js';
import type { Io } from './terminal.js';

const within = (outer: string, p: string) => p === outer || p.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/** The real path of p, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = resolve(p);
  for (;;) {
    try {
      return join(realpathSync(cur), ...rest.reverse());
    } catch {
      const up = dirname(cur);
      if (up === cur) return resolve(p);
      rest.push(basename(cur));
      cur = up;
    }
  }
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Whether a process with this pid is alive (EPERM: alive, someone else's). */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(32);
      const n = readSync(fd, buf, 0, 32, 0);
      const m = /^([0-9]{1,10})\n?$/.exec(buf.subarray(0, n).toString('latin1'));
      return m ? Number(m[1]) : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Takes the lock at `path` (a file holding our pid), or says who holds it. */
function takeLock(path: string, what: string): () => void {
  const mine = `${process.pid}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, mine, { flag: 'wx', mode: 0o644 });
      const release = () => {
        if (readPid(path) === process.pid) unlinkSync(path);
      };
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(e, 'create the lock', path);
    }
    const holder = readPid(path);
    if (holder !== null && holder !== process.pid && pidAlive(holder)) {
      throw new CliError(`another pbxplan (pid ${holder}) is writing ${what} right now; wait for it to finish, or choose another output`);
    }
    // Stale (its run is gone): move it aside atomically, and make sure it was the stale one.
    const aside = `${path}.${process.pid}.stale`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else moved it first: try again
    }
    const moved = readPid(aside);
    if (moved !== holder && moved !== null && pidAlive(moved)) {
      try {
        linkSync(aside, path); // a live run's fresh lock: put it back (fails if another took its place)
      } catch {
        // the place is taken again: the next attempt reports who holds it
      }
    }
    unlinkSync(aside);
  }
  throw new CliError(`cannot take the lock ${path}: other pbxplan runs keep taking it; run again`);
}

/** Temporary names of this module for a target name: `.NAME.pbxplan-PID.tmp` / `.old`. */
function leftoverPattern(name: string): RegExp {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.?${esc}\\.pbxplan-([0-9]+)\\.(tmp|old)$`);
}

/**
 * Removes what runs killed outright left beside `name` in `parent` (their pid is gone). An old
 * bundle moved aside (`.old`) is put back when the target is missing (the run died between its
 * two renames); otherwise removed. Returns what was done, for a note on stderr.
 */
function cleanLeftovers(parent: string, name: string): string[] {
  const re = leftoverPattern(name);
  const done: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return done;
  }
  for (const n of names) {
    const m = re.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    const p = join(parent, n);
    const target = join(parent, name);
    if (m[2] === 'old' && !existsSync(target)) {
      renameSync(p, target);
      done.push(`put back ${target}, which an interrupted run (pid ${pid}) had moved aside`);
    } else {
      removePath(p);
      done.push(`removed ${p}, left by an interrupted run (pid ${pid})`);
    }
  }
  return done;
}

export interface OutputRules {
  force: boolean;
  /** Paths the run reads (the spec, the artifacts directory): the output may not hold them. */
  inputs: { path: string; what: string }[];
  io: Io;
}

/** Why `dir` may never be a bundle's output, or null. */
function forbidden(dir: string, rules: OutputRules): string | null {
  const real = realish(dir);
  if (real === dirname(real)) return 'it is the root directory';
  const homes = [homedir(), rules.io.env['HOME']].filter((h): h is string => !!h).map(realish);
  if (homes.includes(real) || ['/home', '/Users'].includes(dirname(real)) || real === '/root') return 'it is a home directory';
  if (rules.io.cwd !== null) {
    const cwd = realish(rules.io.cwd);
    if (cwd === real) return 'it is the current directory';
    if (within(real, cwd)) return 'it holds the current directory';
  }
  for (const input of rules.inputs) {
    if (within(real, realish(resolve(rules.io.cwd ?? '/', input.path)))) return `it holds ${input.what} ${input.path}`;
  }
  return null;
}

/** The bundle being written under its temporary name. */
export interface StagedBundle {
  tmp: string;
  /** What was written so far (the archive lists it). */
  listing: ArchiveListing[];
  /** Writes one rendered file. */
  add: (file: RenderedFile) => void;
  /** Removes the temporary directory. */
  discard: () => void;
}

export interface Written {
  files: number;
  archive: { path: string; size: number; sha256: string } | null;
}

/** An output directory, locked for this run; `write` puts the bundle there. */
export class BundleOutput {
  private readonly undoLock: () => void;
  private readonly releases: (() => void)[] = [];
  private readonly createdDirs: string[];
  private archivePath: string | null = null;
  private staged: StagedBundle | null = null;

  private constructor(
    readonly dir: string,
    readonly target: string,
    createdDirs: string[],
    release: () => void,
    private readonly io: Io,
  ) {
    this.createdDirs = createdDirs;
    this.releases.push(release);
    this.undoLock = onInterrupt(() => this.release());
  }

  /** Checks the rules, takes the lock (creating the parent when needed) and cleans leftovers. */
  static open(dir: string, rules: OutputRules): BundleOutput {
    const target = resolve(rules.io.cwd ?? '/', dir);
    const why = forbidden(dir, rules);
    if (why) throw new CliError(`refusing to write the bundle to ${dir}: ${why}. Choose a new or empty directory for -o (e.g. -o out)`);
    let st: Stats | null;
    try {
      st = lstatOrNull(target);
    } catch (e) {
      throw ioError(e, 'write the bundle to', dir);
    }
    if (st?.isSymbolicLink()) throw new CliError(`${dir} is a symbolic link; give the directory itself as -o`);
    if (st && !st.isDirectory()) throw new CliError(`${dir} exists and is not a directory; choose another -o`);
    const parent = dirname(target);
    const name = basename(target);
    const created: string[] = [];
    try {
      const first = mkdirSync(parent, { recursive: true });
      if (first) for (let d = parent; within(first, d); d = dirname(d)) created.push(d); // deepest first
    } catch (e) {
      throw ioError(e, 'create the directory', parent);
    }
    let release: () => void;
    try {
      release = takeLock(join(parent, `.${name}.pbxplan.lock`), dir);
    } catch (e) {
      removeEmpty(created);
      throw e;
    }
    const out = new BundleOutput(dir, target, created, release, rules.io);
    try {
      try {
        for (const note of cleanLeftovers(parent, name)) rules.io.err(`pbxplan: ${note}\n`);
      } catch (e) {
        throw ioError(e, 'clean up beside', dir);
      }
      out.checkReplaceable(rules.force);
    } catch (e) {
      out.release();
      throw e;
    }
    return out;
  }

  private checkReplaceable(force: boolean): void {
    const st = lstatOrNull(this.target);
    if (!st) return;
    let names: string[];
    try {
      names = readdirSync(this.target);
    } catch (e) {
      throw ioError(e, 'read the output directory', this.dir);
    }
    if (names.length === 0) return;
    if (!force) throw new CliError(`${this.dir} is not empty; use --force to replace an earlier pbxplan bundle there, or choose a new or empty directory`);
    const found = readBundleDir(this.target, false);
    const why = replaceProblem(found.index, found.entries);
    if (why) {
      throw new CliError(`--force replaces only an empty directory or an earlier pbxplan bundle, and ${this.dir} ${why}. Nothing was changed: move its contents away, or choose another -o`);
    }
  }

  /** Where the archive goes (beside the bundle directory), locked and checked like the bundle. */
  reserveArchive(fileName: string, force: boolean): string {
    const path = join(dirname(this.target), fileName);
    this.releases.push(takeLock(join(dirname(path), `.${fileName}.pbxplan.lock`), path));
    let st: Stats | null;
    try {
      for (const note of cleanLeftovers(dirname(path), fileName)) this.io.err(`pbxplan: ${note}\n`);
      st = lstatOrNull(path);
    } catch (e) {
      throw ioError(e, 'write the archive', path);
    }
    if (st) {
      if (st.isSymbolicLink()) throw new CliError(`${path} is a symbolic link; pbxplan does not write the archive through it: remove it or choose another -o`);
      if (!st.isFile()) throw new CliError(`${path} exists and is not a file; the archive cannot be written there`);
      if (!force) throw new CliError(`${path} exists; use --force to replace it`);
      if (!looksLikeGzip(path)) throw new CliError(`${path} exists and is not a .tar.gz; --force replaces only an earlier archive: move it away`);
    }
    this.archivePath = path;
    return path;
  }

  /** The bundle under its temporary name, written file by file as the compiler renders them
   * (CompilerHost.writeFile), so that no file is held longer than it takes to write it. Created
   * on the first file; removed by `write` when done, or by `release` when the run ends first. */
  stage(): StagedBundle {
    if (this.staged) return this.staged;
    const parent = dirname(this.target);
    const tmp = join(parent, `.${basename(this.target)}.pbxplan-${process.pid}.tmp`);
    const dirs = new Set<string>();
    const listing: ArchiveListing[] = [];
    let undoTmp: (() => void) | null = null;
    const staged: StagedBundle = {
      tmp,
      listing,
      add: (f) => {
        try {
          if (undoTmp === null) {
            undoTmp = onInterrupt(() => removePath(tmp));
            mkdirSync(tmp, { mode: 0o755 });
          }
          const p = join(tmp, ...f.path.split('/'));
          const dir = dirname(p);
          if (dir !== tmp && !dirs.has(dir)) {
            mkdirSync(dir, { recursive: true, mode: 0o755 });
            dirs.add(dir);
          }
          const fd = openSync(p, 'wx', f.mode);
          try {
            writeFileSync(fd, f.content);
            fchmodSync(fd, f.mode); // the umask must not change the bundle's modes
          } finally {
            closeSync(fd);
          }
          listing.push({ path: f.path, mode: f.mode, size: Buffer.byteLength(f.content, 'utf8') });
        } catch (e) {
          throw ioError(e, 'write the bundle beside', this.dir);
        }
      },
      discard: () => {
        removePath(tmp);
        undoTmp?.();
        undoTmp = null;
      },
    };
    this.staged = staged;
    return staged;
  }

  /** Writes the bundle (the files given, after those already staged) under a temporary name, the
   * artifact copies and the archive too, then renames both into place. */
  async write(files: RenderedFile[], copies: ArtifactCopy[], artifacts: ArtifactsDir | null, archiveTop: string | null, progress: Progress = silentProgress): Promise<Written> {
    const parent = dirname(this.target);
    const name = basename(this.target);
    const staged = this.stage();
    const tmp = staged.tmp;
    const old = join(parent, `.${name}.pbxplan-${process.pid}.old`);
    try {
      for (const f of files) staged.add(f);
      const total = copies.reduce((a, c) => a + c.size, 0);
      let done = 0;
      for (const c of copies) {
        const p = join(tmp, ...c.path.split('/'));
        try {
          mkdirSync(dirname(p), { recursive: true, mode: 0o755 });
        } catch (e) {
          throw ioError(e, 'write the bundle beside', this.dir);
        }
        await artifacts!.copy(c, p, (n) => progress.bytes(done + n, total, `copying ${c.path}`));
        done += c.size;
        chmodSync(p, c.mode);
      }
      let archive: Written['archive'] = null;
      let archiveTmp: string | null = null;
      if (archiveTop !== null && this.archivePath !== null) {
        archiveTmp = join(parent, `.${basename(this.archivePath)}.pbxplan-${process.pid}.tmp`);
        const at = archiveTmp;
        const undoArchive = onInterrupt(() => removePath(at));
        const listing = [...staged.listing, ...copies.map((c) => ({ path: c.path, mode: c.mode, size: c.size }))];
        try {
          archive = { path: this.archivePath, ...(await writeArchive(tmp, listing, archiveTop, archiveTmp, progress)) };
        } catch (e) {
          removePath(archiveTmp);
          undoArchive();
          throw ioError(e, 'write the archive', this.archivePath);
        }
        undoArchive();
      }
      progress.done();
      this.commit(tmp, old, archiveTmp);
      return { files: staged.listing.length + copies.length, archive };
    } finally {
      staged.discard();
      this.staged = null;
    }
  }

  /** The renames, in one synchronous stretch (no signal handler runs in between); undone on failure. */
  private commit(tmp: string, old: string, archiveTmp: string | null): void {
    let movedOld = false;
    let placed = false;
    try {
      if (lstatOrNull(this.target)) {
        renameSync(this.target, old);
        movedOld = true;
      }
      renameSync(tmp, this.target);
      placed = true;
      if (archiveTmp && this.archivePath) renameSync(archiveTmp, this.archivePath);
    } catch (e) {
      try {
        if (placed) renameSync(this.target, tmp);
        if (movedOld) renameSync(old, this.target);
      } catch {
        // what is left carries our pid; the next run puts it back
      }
      if (archiveTmp) removePath(archiveTmp);
      throw ioError(e, 'put the bundle in place at', this.dir);
    }
    this.createdDirs.length = 0; // the parent now holds the bundle: keep it
    try {
      removePath(old);
    } catch {
      // left with our pid in its name: the next run removes it
    }
  }

  /** Releases the locks and removes the parent folders this run created, if still empty. */
  release(): void {
    this.staged?.discard();
    this.staged = null;
    for (const r of this.releases.splice(0).reverse()) {
      try {
        r();
      } catch {
        // a lock file we cannot remove names a dead pid: the next run takes it over
      }
    }
    removeEmpty(this.createdDirs.splice(0));
    this.undoLock();
  }
}

function removeEmpty(dirs: string[]): void {
  for (const d of dirs) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (or gone): stop climbing
    }
  }
}

function looksLikeGzip(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(2);
      return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
