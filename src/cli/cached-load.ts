// How the bundled CLI (scripts/bundle.mjs) loads a command's code: the commands' code is bundled
// into a few CommonJS files (dist/bin/chunks/<group>.cjs) compiled here with V8's code cache, so
// that a run does not parse and compile a megabyte of JavaScript again: the cost that dominates a
// short command on Node 20, whose ES module loader has no code cache. A cache starts with its key,
// the sha256 of the group's bytes and of the V8 version that made it (V8 itself checks only the
// source's length): one made for other bytes or another V8 is never handed to V8.
// - The shipped cache (<group>.cjs.cache) is written by the build's training run, for the Node
//   that built the package.
// - Under another Node (a tarball built elsewhere) or for an edited group, the run compiles the
//   group as usual and keeps V8's cache of it in the user's cache directory
//   ($XDG_CACHE_HOME/pbxplan, else ~/.cache/pbxplan; PBXPLAN_CODE_CACHE=0: never), used from the
//   next run on. Nothing there is needed: a cache that is missing, unreadable or refused only
//   makes a run slower.
// The modules that hold the state of a run (errors' classes for instanceof, the undo registry)
// are the entry's own instances, lent to the group through its require. Unbundled (tsc's dist/,
// tsx) this module is not used.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { CommandRun } from './command.js';
import * as errors from './errors.js';
import * as cleanup from './io/cleanup.js';
import * as terminal from './io/terminal.js';

/** The modules a group shares with the entry: scripts/bundle.mjs maps their imports to these names. */
export const SHARED_MODULES = { errors, cleanup, terminal } as const;

type Group = Record<string, () => Promise<CommandRun & Record<string, unknown>>>;
const groups = new Map<string, Group>();

/** What became of a group's cache (PBXPLAN_CODE_CACHE_REPORT=1 prints it). */
type CacheState = 'used' | 'user' | 'rejected' | 'stale' | 'missing';

/** The key a cache starts with: the group's bytes and the V8 that compiles them. */
const cacheKey = (bytes: Buffer) => createHash('sha256').update(bytes).update(`\0v8 ${process.versions.v8} ${process.arch}`).digest();

/** The file's bytes, or undefined when it cannot be read (none there). */
function readOrNothing(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** A cache's payload if it starts with `key`. */
const payload = (cache: Buffer | undefined, key: Buffer) => (cache && cache.subarray(0, key.length).equals(key) ? cache.subarray(key.length) : undefined);

/** The user's cache directory for pbxplan's code caches, or null (switched off, no home). */
function userCacheDir(): string | null {
  const env = process.env;
  if (env['PBXPLAN_CODE_CACHE'] === '0') return null;
  const base = env['XDG_CACHE_HOME'] || (() => {
    try {
      return join(homedir(), '.cache');
    } catch {
      return '';
    }
  })();
  return base ? join(base, 'pbxplan') : null;
}

/** Keeps V8's cache of `script` as the user's cache of group `name` (one file per group: older
 * ones go), written under a temporary name and renamed. Best effort: a failure changes nothing. */
function writeUserCache(path: string, name: string, key: Buffer, script: vm.Script): void {
  try {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const old of readdirSync(dir)) if (old.startsWith(`${name}-`) && old.endsWith('.cache') && join(dir, old) !== path) rmSync(join(dir, old), { force: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([key, script.createCachedData()]), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // a read-only or full disk: the next run compiles the group again
  }
}

/** The commands of group `name`, compiled from chunks/<name>.cjs beside the entry (with its code cache). */
export function loadGroup(name: string): Group {
  const known = groups.get(name);
  if (known) return known;
  const file = join(dirname(fileURLToPath(import.meta.url)), 'chunks', `${name}.cjs`); // beside the bundled entry, dist/bin/
  // Read as bytes and summed as bytes: decoding 1 MB as UTF-8 and hashing the string (which
  // encodes it again) cost ~8 ms of a ~35 ms command; the build emits ASCII only, so latin1 is
  // the same text (a file that is not ASCII is decoded as UTF-8 all the same).
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = cacheKey(bytes);
  const shipped = `${file}.cache`;
  const training = process.env['PBXPLAN_WRITE_CODE_CACHE'] === '1';
  const shippedCache = training ? undefined : readOrNothing(shipped);
  let cachedData = payload(shippedCache, key);
  let state: CacheState = cachedData ? 'used' : shippedCache ? 'stale' : 'missing';
  const userDir = cachedData || training ? null : userCacheDir();
  const userFile = userDir ? join(userDir, `${name}-${key.toString('hex').slice(0, 16)}.cache`) : null;
  if (userFile) {
    cachedData = payload(readOrNothing(userFile), key);
    if (cachedData) state = 'user';
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (script.cachedDataRejected) state = 'rejected';
  // What happened to the cache, for tests and for someone asking why a run is slow.
  if (process.env['PBXPLAN_CODE_CACHE_REPORT'] === '1') process.stderr.write(`pbxplan: code cache of the ${name} group: ${state}\n`);
  const outer = createRequire(file);
  const shared = SHARED_MODULES as Record<string, unknown>;
  const require = (id: string) => (id.startsWith('pbxplan-shared:') ? shared[id.slice('pbxplan-shared:'.length)] : outer(id));
  const module = { exports: {} as { commands: Group } };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  // At exit, so that the cache holds what V8 compiled during the run (the functions the command
  // ran too): the build's training run writes the shipped cache, a run without one the user's.
  if (training) process.once('exit', () => writeFileSync(shipped, Buffer.concat([key, script.createCachedData()])));
  else if (userFile && state !== 'user') process.once('exit', () => writeUserCache(userFile, name, key, script));
  groups.set(name, module.exports.commands);
  return module.exports.commands;
}
